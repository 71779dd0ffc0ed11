"""`Model.full_clean()` for a batch of objects, with the same errors, in a few queries.

full_clean asks the database once per foreign key (does the row exist?), once per unique
field or unique constraint (is the value taken?) and once per check constraint (inside a
savepoint each): for one claim, about twenty queries. `full_clean_all` asks each of those
questions once for the whole batch, then judges every object as full_clean would, in order,
as if the objects before it in the batch had been saved already: an object that takes a
value an earlier one in the batch took is refused as if that one were in the database.

The rules are Django's and the model's own: `clean_fields` (its lookups aside), `clean()`,
the unique fields and constraints the model declares, and their messages.
"""

import contextlib
import functools
import logging
import operator
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, FieldError, ValidationError
from django.db import DatabaseError, connections, models, router, transaction
from django.db.models import BooleanField, CheckConstraint, Q, UniqueConstraint, Value
from django.db.models.functions import Coalesce
from django.db.models.sql import Query

logger = logging.getLogger(__name__)

# Parameters per lookup statement: under SQLite's limit as Django states it (999).
MAX_PARAMS = 900
# Checks per statement (each an EXISTS column; SQLite allows 2,000 columns).
MAX_CHECKS = 400

Errors = dict[str, list[ValidationError]]


def full_clean_all(objs: Sequence[models.Model]) -> None:
    """Raise the ValidationError that `obj.full_clean()` would raise for the first invalid
    object of `objs` (all of one model), each judged as if those before it were saved."""
    if not objs:
        return
    model = type(objs[0])
    if any(type(obj) is not model for obj in objs):
        raise TypeError("full_clean_all() validates objects of one model at a time.")
    errors: list[Errors] = [{} for _ in objs]
    _clean_fields(objs, errors)
    for obj, found in zip(objs, errors, strict=True):
        try:
            obj.clean()
        except ValidationError as e:
            _merge(found, e)
    _validate_unique(objs, errors, _excludes(errors))
    _validate_constraints(objs, errors, _excludes(errors))
    for found in errors:
        if found:
            raise ValidationError(found)


def _merge(found: Errors, error: ValidationError) -> None:
    merged = error.update_error_dict(found)
    if merged is not found:
        found.clear()
        found.update(merged)


def _excludes(errors: list[Errors]) -> list[set[str]]:
    """Checks skip the fields that already failed, as full_clean's do."""
    return [{name for name in found if name != NON_FIELD_ERRORS} for found in errors]


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


# clean_fields(), with each foreign key's lookup made once for the batch

def _foreign_keys(model: type[models.Model]) -> list[models.ForeignKey]:
    return [field for field in model._meta.fields
            if isinstance(field, models.ForeignKey) and not field.remote_field.parent_link]


def _clean_fields(objs: Sequence[models.Model], errors: list[Errors]) -> None:
    model = type(objs[0])
    keys = _foreign_keys(model)
    converted: list[dict[str, Any]] = []  # field name → value that passed all but the lookup
    for obj, found in zip(objs, errors, strict=True):
        try:
            obj.clean_fields(exclude={field.name for field in keys})
        except ValidationError as e:
            found.update(e.error_dict)
        passed = {}
        for field in keys:
            raw = getattr(obj, field.attname)
            if field.blank and raw in field.empty_values:
                continue
            try:
                value = field.to_python(raw)
                models.Field.validate(field, value, obj)  # ForeignKey.validate's checks before its lookup
            except ValidationError as e:
                found[field.name] = e.error_list
                continue
            passed[field.name] = value
        converted.append(passed)
    groups: dict[tuple[Any, ...], list[models.ForeignKey]] = {}
    for field in keys:  # keys to the same rows, unless one limits its choices: one lookup
        limited = bool(field.get_limit_choices_to())
        groups.setdefault((field.remote_field.model, field.remote_field.field_name, field.name if limited else ""),
                          []).append(field)
    for fields in groups.values():
        _check_references(objs, fields, converted, errors)
    order = {field.name: i for i, field in enumerate(model._meta.fields)}
    for found in errors:  # clean_fields reports the fields in the model's order
        items = sorted(found.items(), key=lambda item: order[item[0]])
        found.clear()
        found.update(items)


def _check_references(objs: Sequence[models.Model], fields: list[models.ForeignKey], converted: list[dict[str, Any]],
                      errors: list[Errors]) -> None:
    """ForeignKey.validate's lookup (the row must exist) for these keys of every object, in
    one query (they point at the same rows)."""
    target, to_field = fields[0].remote_field.model, fields[0].remote_field.field_name
    wanted = list(dict.fromkeys(passed[field.name] for passed in converted for field in fields
                                if passed.get(field.name) is not None))
    found: set[Any] = set()
    using = router.db_for_read(target, instance=objs[0])
    for chunk in _chunks(wanted, MAX_PARAMS):
        rows = target._base_manager.using(using).filter(**{f"{to_field}__in": chunk}).order_by()
        found.update(rows.complex_filter(fields[0].get_limit_choices_to()).values_list(to_field, flat=True))
    for obj, passed, obj_errors in zip(objs, converted, errors, strict=True):
        for field in fields:
            if field.name not in passed:
                continue
            value = passed[field.name]
            try:
                if value is not None:
                    if value not in found:
                        raise ValidationError(field.error_messages["invalid"], code="invalid", params={
                            "model": target._meta.verbose_name, "pk": value, "field": to_field, "value": value})
                    field.run_validators(value)
            except ValidationError as e:
                obj_errors[field.name] = e.error_list
                continue
            setattr(obj, field.attname, value)


# Uniqueness: validate_unique() and the UniqueConstraints of validate_constraints()

def _lookup_values(obj: models.Model, model_class: type[models.Model], names: tuple[str, ...], *,
                   nulls_distinct: bool = True) -> tuple[Any, ...] | None:
    """The values a uniqueness check looks up for `obj`, or None when Django skips the check."""
    using = router.db_for_write(type(obj), instance=obj)
    empty_is_null = connections[using].features.interprets_empty_strings_as_nulls
    values = []
    for name in names:
        field = obj._meta.get_field(name)
        value = getattr(obj, field.attname)
        if (value is None and nulls_distinct) or (value == "" and empty_is_null):
            return None
        values.append(value)
    return tuple(values)


def _held(model_class: type[models.Model], names: tuple[str, ...],
          lookups: list[tuple[Any, ...]]) -> dict[tuple[Any, ...], set[Any]]:
    """Values → primary keys of the rows that hold them, for these values."""
    attnames = [model_class._meta.get_field(name).attname for name in names]
    held: dict[tuple[Any, ...], set[Any]] = {}
    for chunk in _chunks(list(dict.fromkeys(lookups)), max(1, MAX_PARAMS // len(names))):
        if len(names) == 1:
            condition = Q(**{f"{names[0]}__in": [values[0] for values in chunk]})
        else:
            condition = functools.reduce(operator.or_, (Q(**dict(zip(names, values, strict=True)))
                                                       for values in chunk))
        for pk, *values in model_class._default_manager.filter(condition).values_list("pk", *attnames):
            held.setdefault(tuple(values), set()).add(pk)
    return held


def _clashes(objs: Sequence[models.Model], model_class: type[models.Model], names: tuple[str, ...],
             lookups: list[tuple[Any, ...] | None]) -> list[bool]:
    """For each object, whether its values are taken: by a row that is not one of the batch's
    objects judged before it, or by one of those."""
    held = _held(model_class, names, [values for values in lookups if values is not None])
    earlier: set[tuple[Any, ...]] = set()
    replaced: set[Any] = set()  # the rows of the objects judged so far hold their new values
    clashes = []
    for obj, values in zip(objs, lookups, strict=True):
        pk = obj._get_pk_val(model_class._meta) if not obj._state.adding else None
        if values is None:
            clashes.append(False)
        else:
            clashes.append(bool(held.get(values, set()) - {pk} - replaced) or values in earlier)
            earlier.add(values)
        if pk is not None:
            replaced.add(pk)
    return clashes


def _validate_unique(objs: Sequence[models.Model], errors: list[Errors], excludes: list[set[str]]) -> None:
    found: list[Errors] = [{} for _ in objs]
    checks: dict[tuple[type[models.Model], tuple[str, ...]], list[tuple[Any, ...] | None]] = {}
    for i, (obj, exclude) in enumerate(zip(objs, excludes, strict=True)):
        unique_checks, date_checks = obj._get_unique_checks(exclude=exclude)
        if date_checks:
            raise NotImplementedError("full_clean_all() does not check unique_for_date: use full_clean().")
        for model_class, names in unique_checks:
            values = _lookup_values(obj, model_class, tuple(names))
            # An edit keeps its own primary key: no need to check it (as _perform_unique_checks).
            if values is not None and not obj._state.adding and any(
                    obj._meta.get_field(name) in model_class._meta.pk_fields for name in names):
                values = None
            checks.setdefault((model_class, tuple(names)), [None] * len(objs))[i] = values
    for (model_class, names), lookups in checks.items():
        for obj, obj_found, clash in zip(objs, found, _clashes(objs, model_class, names, lookups), strict=True):
            if clash:
                key = names[0] if len(names) == 1 else NON_FIELD_ERRORS
                obj_found.setdefault(key, []).append(obj.unique_error_message(model_class, names))
    for obj_errors, obj_found in zip(errors, found, strict=True):
        if obj_found:
            _merge(obj_errors, ValidationError(obj_found))


# validate_constraints(): every constraint the model declares, in order

def _validate_constraints(objs: Sequence[models.Model], errors: list[Errors], excludes: list[set[str]]) -> None:
    using = router.db_for_write(type(objs[0]), instance=objs[0])
    failures: list[list[tuple[Any, ValidationError]]] = [[] for _ in objs]  # per object, in declared order
    checks: list[tuple[int, CheckConstraint, str, tuple[Any, ...]]] = []
    asked: dict[Any, int] = {}  # what a check reads of an object → which of `checks` asks it
    judged: list[tuple[int, int]] = []  # (object, check)
    position = 0
    for model_class, constraints in objs[0].get_constraints():
        for constraint in constraints:
            position += 1
            if isinstance(constraint, CheckConstraint):
                # Objects with the same values in the fields a check reads share its answer:
                # it is built and asked once (building it is most of full_clean's time).
                for i, (obj, exclude) in enumerate(zip(objs, excludes, strict=True)):
                    key = (position, _check_key(constraint, obj, exclude) or ("object", i))
                    if key not in asked:
                        compiled = _check_sql(constraint, model_class, obj, exclude, using)
                        asked[key] = -1 if compiled is None else len(checks)
                        if compiled is not None:
                            checks.append((position, constraint, *compiled))
                    if asked[key] >= 0:
                        judged.append((i, asked[key]))
            elif isinstance(constraint, UniqueConstraint) and constraint.fields and not (
                    constraint.condition is not None or constraint.expressions
                    or any(objs[0]._meta.get_field(name).generated for name in constraint.fields)):
                _unique_constraint(objs, model_class, constraint, excludes, failures, position)
            else:  # what this module does not batch (conditions, expressions): Django's own check
                for obj, exclude, obj_failures in zip(objs, excludes, failures, strict=True):
                    try:
                        constraint.validate(model_class, obj, exclude=exclude, using=using)
                    except ValidationError as e:
                        obj_failures.append((position, constraint, e))
    answers = _ask_all(checks, using)
    for i, check in judged:
        if not answers[check]:
            position, constraint, _, _ = checks[check]
            failures[i].append((position, constraint, ValidationError(constraint.get_violation_error_message(),
                                                                      code=constraint.violation_error_code)))
    for obj_errors, obj_failures in zip(errors, failures, strict=True):
        found: Errors = {}
        for _, constraint, error in sorted(obj_failures, key=lambda failure: failure[0]):
            if getattr(error, "code", None) == "unique" and len(constraint.fields) == 1:
                found.setdefault(constraint.fields[0], []).append(error)
            else:
                _merge(found, error)
        if found:
            _merge(obj_errors, ValidationError(found))


def _unique_constraint(objs: Sequence[models.Model], model_class: type[models.Model], constraint: UniqueConstraint,
                       excludes: list[set[str]], failures: list[list[Any]], position: int) -> None:
    """UniqueConstraint.validate (on fields) for every object, in one query."""
    names = tuple(constraint.fields)
    lookups = [None if any(name in exclude for name in names) else
               _lookup_values(obj, model_class, names, nulls_distinct=constraint.nulls_distinct is not False)
               for obj, exclude in zip(objs, excludes, strict=True)]
    for obj, obj_failures, clash in zip(objs, failures, _clashes(objs, model_class, names, lookups), strict=True):
        if not clash:
            continue
        if constraint.violation_error_message == constraint.default_violation_error_message:
            message = obj.unique_error_message(model_class, names)
            error = ValidationError(message, code=message.code)
        else:
            error = ValidationError(constraint.get_violation_error_message(), code=constraint.violation_error_code)
        obj_failures.append((position, constraint, error))


def _check_key(constraint: CheckConstraint, obj: models.Model, exclude: set[str]) -> tuple[Any, ...] | None:
    """The values of the fields the check reads (its query depends on nothing else), or None
    when they cannot be compared (an expression, a value that cannot be a key, a generated field)."""
    key = []
    for name in sorted(Q(constraint.condition).referenced_base_fields):
        if name in exclude:
            return ("excluded", name)
        if name == "pk":
            value = obj.pk
        else:
            try:
                field = obj._meta.get_field(name)
            except FieldDoesNotExist:
                return None
            if field.generated or not field.concrete:
                return None
            value = getattr(obj, field.attname)
        if hasattr(value, "resolve_expression"):
            return None
        key.append((name, type(value), value))
    try:
        hash(tuple(key))
    except TypeError:
        return None
    return tuple(key)


def _check_sql(constraint: CheckConstraint, model_class: type[models.Model], obj: models.Model,
               exclude: set[str], using: str) -> tuple[str, tuple[Any, ...]] | None:
    """The query Q.check runs for CheckConstraint.validate, compiled; None where Django skips it."""
    against = obj._get_field_expression_map(meta=model_class._meta, exclude=exclude)
    query = Query(None)
    referenced = Q(constraint.condition).referenced_base_fields
    for name, value in against.items():
        if name in referenced:  # Q.check adds every field; the condition reads only these
            query.add_annotation(value if hasattr(value, "resolve_expression") else Value(value), name,
                                 select=False)
    query.add_annotation(Value(1), "_check")
    condition = Q(constraint.condition)
    try:
        if connections[using].features.supports_comparing_boolean_expr:
            query.add_q(Q(Coalesce(condition, True, output_field=BooleanField())))
        else:
            query.add_q(condition)
    except FieldError:
        return None  # it names an excluded field: CheckConstraint.validate skips it too
    return query.get_compiler(using=using).as_sql()


def _param_limit(connection: Any) -> int:
    """Parameters per check statement: what this SQLite library allows (Django assumes 999
    for every SQLite; 32,766 since 3.32), or plenty for PostgreSQL."""
    if connection.vendor != "sqlite":
        return 20_000
    connection.ensure_connection()
    getlimit = getattr(connection.connection, "getlimit", None)  # Python 3.11+
    return min(20_000, getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) - 100) if getlimit else MAX_PARAMS


def _ask_all(checks: list[tuple[Any, ...]], using: str) -> list[bool]:
    """Whether each check query finds its row, as EXISTS(…) columns of one SELECT per chunk.
    Q.check counts a database error as a pass (and logs it); so does this, in one savepoint
    as Q.check has one each."""
    if not checks:
        return []
    connection = connections[using]
    limit = _param_limit(connection)
    chunks: list[list[tuple[str, tuple[Any, ...]]]] = [[]]
    size = 0
    for *_, sql, params in checks:
        if chunks[-1] and (size + len(params) > limit or len(chunks[-1]) >= MAX_CHECKS):
            chunks.append([])
            size = 0
        chunks[-1].append((sql, params))
        size += len(params)
    passed: list[bool] = []
    try:
        with (transaction.atomic(using=using) if connection.in_atomic_block else contextlib.nullcontext(),
              connection.cursor() as cursor):
            for chunk in chunks:
                cursor.execute("SELECT " + ", ".join(f"EXISTS({sql})" for sql, _ in chunk),
                               [param for _, params in chunk for param in params])
                passed += [bool(value) for value in cursor.fetchone()]
    except DatabaseError as e:
        logger.warning("Got a database error checking constraints: %s", e)
        return [True] * len(checks)
    return passed
