// The staff console's small enhancements. Every page works without them.
document.documentElement.classList.replace("no-js", "js");

document.addEventListener("change", (event) => {
  const control = event.target;
  if (!(control instanceof HTMLSelectElement)) return;
  if (control.hasAttribute("data-autosubmit")) {
    control.form.requestSubmit();
  }
  if (control.dataset.fills) {
    // A reply template: its text, in the case's language, goes into the reply.
    const texts = JSON.parse(document.getElementById(control.dataset.texts).textContent);
    const area = document.getElementById(control.dataset.fills);
    if (area && Object.hasOwn(texts, control.value)) {
      area.value = texts[control.value];
      area.focus();
    }
  }
});
