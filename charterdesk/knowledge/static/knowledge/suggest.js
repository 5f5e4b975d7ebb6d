// Help articles suggested as the customer types into the web form (the knowledge base).
// The form works without this script; the "See our help pages" link is always there.
(() => {
  const script = document.currentScript;
  if (!script || !window.fetch) return;
  const form = script.closest("form") || document.querySelector("main form[method=post]");
  const box = document.getElementById("article-suggestions");
  if (!form || !box) return;
  const watched = (field) =>
    field.name === "subject" || field.name === "message" || field.tagName === "TEXTAREA";
  let timer = 0;
  let asked = "";
  const ask = () => {
    const text = Array.from(form.elements)
      .filter((field) => watched(field) && field.value)
      .map((field) => field.value)
      .join(" ")
      .slice(0, 500);
    if (text === asked || text.trim().length < 3) return;
    asked = text;
    const url = `${script.dataset.url}?lang=${encodeURIComponent(script.dataset.lang)}&q=${encodeURIComponent(text)}`;
    fetch(url, { credentials: "same-origin" })
      .then((response) => (response.ok ? response.text() : ""))
      .then((html) => {
        if (asked === text) box.innerHTML = html; // our own escaped fragment
      })
      .catch(() => {});
  };
  form.addEventListener("input", (event) => {
    if (!watched(event.target)) return;
    clearTimeout(timer);
    timer = setTimeout(ask, 500);
  });
})();
