"""Rows of a model written and read without the ORM compiling a statement each time.

:func:`insert`: new rows of one model in one ``INSERT``. :func:`columns` and
:func:`instance`: a row read by plain SQL made into the instance the ORM would make.

Over one LMTP connection every mail is a transaction of its own, and opening its case
inserts into some ten tables: ``bulk_create`` spent more of that building its statement
(a compiler, an expression per value) than the database spent running it. :func:`insert`
writes what ``bulk_create`` writes, as it writes it: each value from its field's
``pre_save`` (``auto_now_add``) and ``get_db_prep_save``, foreign keys taken from the
related object saved since it was assigned, the new primary keys read back with
``RETURNING`` and set on the instances, which are then saved instances (``_state``). The
statement is made once per model, row count and database. No ``post_save`` is sent (as
``bulk_create`` sends none). See docs/decisions/0013-plain-sql-on-hot-paths.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from django.db import connections, router
from django.db.models import BinaryField, Field, Model

M = TypeVar("M", bound=Model)

#: (database alias, model) -> whether :func:`insert` writes its rows itself.
_SUITED: dict[tuple[str, type[Model]], bool] = {}
#: (database alias, vendor, model, rows) -> (the statement, the fields it writes).
_STATEMENTS: dict[tuple[str, str, type[Model], int], tuple[str, list[Field[Any, Any]]]] = {}


def insert(model: type[M], objs: Sequence[M]) -> list[M]:
    """``model.objects.bulk_create(objs)`` for new rows whose primary key the database
    makes (an ``AutoField``), in one statement per batch the database allows."""
    objs = list(objs)
    if not objs:
        return objs
    alias = router.db_for_write(model)
    connection = connections[alias]
    meta = model._meta
    suited = _SUITED.get((alias, model))
    if suited is None:
        suited = _SUITED[alias, model] = _suited(model, connection)
    if not suited or any(obj.pk is not None for obj in objs):
        return list(model._default_manager.bulk_create(objs))  # not our case: the ORM
    fields = [field for field in meta.concrete_fields if field is not meta.auto_field]
    size = max(connection.ops.bulk_batch_size(fields, objs), 1)
    for start in range(0, len(objs), size):
        batch = objs[start : start + size]
        sql, fields = _statement(alias, connection, model, len(batch))
        values: list[Any] = []
        for obj in batch:
            # (Django's own step of bulk_create: a related object saved since it was
            # assigned gives its key; an unsaved one is refused)
            obj._prepare_related_fields_for_save(operation_name="bulk_create")  # type: ignore[attr-defined]
            values += [
                field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields
            ]
        with connection.cursor() as cursor:
            cursor.execute(sql, values)
            keys = cursor.fetchall()
        pk = meta.pk
        assert pk is not None
        column = pk.get_col(meta.db_table)
        converters = [
            *connection.ops.get_db_converters(column),
            *pk.get_db_converters(connection),  # type: ignore[attr-defined]
        ]
        for obj, (key,) in zip(batch, keys, strict=True):
            for converter in converters:
                key = converter(key, column, connection)
            setattr(obj, pk.attname, key)
            obj._state.adding = False
            obj._state.db = alias
    return objs


def columns(model: type[Model], alias: str) -> str:
    """The model's columns, in the order :func:`instance` takes them, for a ``SELECT``
    naming the table ``alias``."""
    quote = connections[router.db_for_read(model)].ops.quote_name
    return ", ".join(f"{alias}.{quote(field.column)}" for field in model._meta.concrete_fields)


def instance(model: type[M], values: Sequence[Any]) -> M:
    """The instance of a row whose :func:`columns` are ``values``, each converted from
    the database as a query of the ORM converts it (dates, JSON)."""
    alias = router.db_for_read(model)
    connection = connections[alias]
    names, converters = _reading(connection, model)
    converted = list(values)
    for index, column, found in converters:
        value = converted[index]
        for converter in found:
            value = converter(value, column, connection)
        converted[index] = value
    return model.from_db(alias, names, converted)


_Converters = list[tuple[int, Any, list[Any]]]
#: connection -> model -> its attnames and, by column, the converters to apply (some are
#: the connection's own methods: kept per connection, as each thread has its own).
_READING: WeakKeyDictionary[Any, dict[type[Model], tuple[list[str], _Converters]]] = (
    WeakKeyDictionary()
)


def _reading(connection: Any, model: type[Model]) -> tuple[list[str], _Converters]:
    of_connection = _READING.setdefault(connection, {})
    found = of_connection.get(model)
    if found is None:
        fields = model._meta.concrete_fields
        converters: _Converters = []
        for index, field in enumerate(fields):
            column = field.get_col(model._meta.db_table)
            of_field = [
                *connection.ops.get_db_converters(column),
                *field.get_db_converters(connection),  # type: ignore[attr-defined]
            ]
            if of_field:
                converters.append((index, column, of_field))
        found = of_connection[model] = ([field.attname for field in fields], converters)
    return found


def _statement(
    alias: str, connection: Any, model: type[Model], rows: int
) -> tuple[str, list[Field[Any, Any]]]:
    key = (alias, connection.vendor, model, rows)
    found = _STATEMENTS.get(key)
    if found is None:
        meta = model._meta
        fields = [field for field in meta.concrete_fields if field is not meta.auto_field]
        quote = connection.ops.quote_name
        assert meta.pk is not None
        marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
        sql = (
            f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)})"
            f" VALUES {', '.join([marks] * rows)} RETURNING {quote(meta.pk.column)}"
        )
        found = _STATEMENTS[key] = (sql, fields)
    return found


def _suited(model: type[Model], connection: Any) -> bool:
    """Whether the model's rows can be written this way: its key made by the database and
    read back by ``RETURNING``, every value a plain ``%s``, no default of the database's,
    one table (as every model intake writes; any other goes through the ORM)."""
    meta = model._meta
    fields = [field for field in meta.concrete_fields if field is not meta.auto_field]
    return (
        bool(connection.features.can_return_rows_from_bulk_insert)
        and meta.auto_field is not None
        and meta.pk is meta.auto_field
        and not meta.parents
        and all(_plain_placeholder(field, connection) for field in fields)
        and not any(field.has_db_default() for field in fields)  # type: ignore[attr-defined]
    )


def _plain_placeholder(field: Field[Any, Any], connection: Any) -> bool:
    if isinstance(field, BinaryField):
        return bool(connection.ops.binary_placeholder_sql(None) == "%s")
    return not hasattr(field, "get_placeholder")
