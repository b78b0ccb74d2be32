// Which locks a parsed statement takes, from PostgreSQL's documented lock table per statement kind (pure).
// Names are kept as written here; lock-report.ts resolves them (indexes, constraints, search path) through the snapshot.
import type { LockMode } from '../../schemas/findings.ts';
import type { SqlStatement } from './sql-statements.ts';

/** A statement with its parse tree from PostgreSQL's parser (null when the parser rejected the file). */
export interface ParsedStatement extends SqlStatement {
  node: Record<string, unknown> | null;
}

export interface NameRef {
  schema: string | null;
  name: string;
}

export type Effect = 'rewrite' | 'scan' | 'none';

/** One lock the statement takes, on something still to be resolved to a table. */
export type LockIntent =
  | { on: 'table'; ref: NameRef; mode: LockMode; effect: Effect }
  /** The table an index belongs to (DROP INDEX, REINDEX). */
  | { on: 'index'; ref: NameRef; mode: LockMode; effect: Effect }
  /** The table a named foreign key of `table` references (dropping or validating it locks that table too). */
  | { on: 'fk-referenced'; table: NameRef; constraint: string; mode: LockMode }
  /**
   * DROP TABLE: the tables its foreign keys reference (their triggers go), and with CASCADE the tables whose
   * foreign keys reference it. TRUNCATE … CASCADE: the referencing tables, transitively (they are emptied too).
   */
  | { on: 'fk-neighbours'; table: NameRef; referenced: boolean; referencing: 'no' | 'direct' | 'transitive'; mode: LockMode };

export interface StatementLocks {
  /** e.g. `CREATE INDEX`, `ALTER TABLE … SET NOT NULL, DROP COLUMN`. */
  kind: string;
  intents: LockIntent[];
  /** Tables the statement creates. */
  creates: NameRef[];
  /** A table renamed: a table created in the batch stays new under its new name. */
  renames?: { from: NameRef; to: NameRef };
  /** An index the statement creates, and its table (so a later DROP INDEX in the batch resolves). */
  createsIndex?: { index: NameRef; table: NameRef };
  /** Columns by what is done to them, for naming them in findings. */
  columns: { setNotNull: string[]; alterType: Array<{ column: string; type: string }>; drop: string[]; add: string[]; foreignKey: string[] };
  concurrent: boolean;
  note?: string;
}

type Node = Record<string, unknown>;

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const node = (value: unknown): Node | undefined => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Node) : undefined);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

function rangeVar(value: unknown): NameRef | null {
  const rv = node(node(value)?.RangeVar) ?? node(value);
  if (!rv || typeof rv.relname !== 'string') return null;
  return { schema: typeof rv.schemaname === 'string' ? rv.schemaname : null, name: rv.relname };
}

/** A qualified name given as a list of String nodes (DROP … names, type names). */
function nameList(value: unknown): string[] {
  const items = node(node(value)?.List)?.items ?? value;
  return list(items).map((item) => str(node(node(item)?.String)?.sval));
}

function qualified(parts: string[]): NameRef {
  return parts.length > 1 ? { schema: parts.at(-2)!, name: parts.at(-1)! } : { schema: null, name: parts[0] ?? '' };
}

function typeNameText(typeName: unknown): string {
  const t = node(node(typeName)?.TypeName) ?? node(typeName);
  if (!t) return '?';
  const names = nameList(t.names).filter((n) => n !== 'pg_catalog');
  const mods = list(t.typmods).map((m) => {
    const val = node(node(node(m)?.A_Const) ?? {})?.ival;
    return String(node(val)?.ival ?? '');
  });
  return `${names.join('.')}${mods.length ? `(${mods.join(',')})` : ''}${list(t.arrayBounds).length ? '[]' : ''}`;
}

/** Every RangeVar in a subtree: the tables a query reads. */
function rangeVarsIn(value: unknown, found: NameRef[] = []): NameRef[] {
  if (Array.isArray(value)) for (const item of value) rangeVarsIn(item, found);
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'RangeVar') {
        const ref = rangeVar(child);
        if (ref) found.push(ref);
      } else rangeVarsIn(child, found);
    }
  }
  return found;
}

const VOLATILE_FUNCTIONS = new Set([
  'random',
  'gen_random_uuid',
  'uuid_generate_v1',
  'uuid_generate_v4',
  'clock_timestamp',
  'timeofday',
  'nextval',
  'txid_current',
]);

function hasVolatileCall(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasVolatileCall);
  if (!value || typeof value !== 'object') return false;
  const call = node((value as Node).FuncCall);
  if (call && VOLATILE_FUNCTIONS.has(nameList(call.funcname).at(-1) ?? '')) return true;
  return Object.values(value).some(hasVolatileCall);
}

const SERIAL_TYPES = new Set(['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2']);

interface Constraint {
  contype: string;
  conname?: string;
  pktable?: unknown;
  initially_valid?: boolean;
  skip_validation?: boolean;
  indexname?: string;
  fk_attrs?: unknown;
  raw_expr?: unknown;
  generated_when?: string;
}

const constraintOf = (value: unknown): Constraint | undefined => node(node(value)?.Constraint) as Constraint | undefined;

/** NOT VALID: the parser marks it with initially_valid false (skip_validation on older trees). */
const notValid = (c: Constraint) => c.initially_valid === false || c.skip_validation === true;

const stronger = (a: Effect, b: Effect): Effect => (a === 'rewrite' || b === 'rewrite' ? 'rewrite' : a === 'scan' || b === 'scan' ? 'scan' : 'none');

function emptyLocks(kind: string): StatementLocks {
  return { kind, intents: [], creates: [], columns: { setNotNull: [], alterType: [], drop: [], add: [], foreignKey: [] }, concurrent: false };
}

/** ALTER TABLE: the strongest lock of its sub-commands on the table, plus the tables its foreign keys reference. */
function alterTable(stmt: Node, serverVersionNum: number): StatementLocks {
  const table = rangeVar(stmt.relation);
  const result = emptyLocks('ALTER TABLE');
  if (!table) return result;
  const order: LockMode[] = ['SHARE UPDATE EXCLUSIVE', 'SHARE ROW EXCLUSIVE', 'ACCESS EXCLUSIVE'];
  let mode: LockMode = 'SHARE UPDATE EXCLUSIVE';
  let effect: Effect = 'none';
  const raise = (m: LockMode, e: Effect = 'none') => {
    if (order.indexOf(m) > order.indexOf(mode)) mode = m;
    effect = stronger(effect, e);
  };
  const parts: string[] = [];
  const foreignKey = (c: Constraint, columns: string[]) => {
    const referenced = rangeVar(c.pktable);
    if (referenced) result.intents.push({ on: 'table', ref: referenced, mode: 'SHARE ROW EXCLUSIVE', effect: 'none' });
    result.columns.foreignKey.push(...columns);
    raise('SHARE ROW EXCLUSIVE', notValid(c) ? 'none' : 'scan');
  };
  for (const item of list(stmt.cmds)) {
    const cmd = node(node(item)?.AlterTableCmd);
    if (!cmd) continue;
    const subtype = str(cmd.subtype);
    const column = str(cmd.name);
    switch (subtype) {
      case 'AT_AddColumn': {
        parts.push('ADD COLUMN');
        const def = node(node(cmd.def)?.ColumnDef);
        const name = str(def?.colname);
        result.columns.add.push(name);
        raise('ACCESS EXCLUSIVE');
        const type = typeNameText(def?.typeName);
        const constraints = list(def?.constraints)
          .map(constraintOf)
          .filter((c): c is Constraint => !!c);
        const hasDefault = constraints.some((c) => c.contype === 'CONSTR_DEFAULT') || def?.raw_default !== undefined;
        const volatile =
          SERIAL_TYPES.has(type) ||
          constraints.some(
            (c) => c.contype === 'CONSTR_IDENTITY' || c.contype === 'CONSTR_GENERATED' || (c.contype === 'CONSTR_DEFAULT' && hasVolatileCall(c.raw_expr)),
          );
        // Since PostgreSQL 11 a constant default is stored in the catalog; before, every default rewrote the table.
        if (volatile || (hasDefault && serverVersionNum < 110000)) raise('ACCESS EXCLUSIVE', 'rewrite');
        for (const c of constraints) {
          if (c.contype === 'CONSTR_FOREIGN') foreignKey(c, [name]);
          if (c.contype === 'CONSTR_PRIMARY' || c.contype === 'CONSTR_UNIQUE') raise('ACCESS EXCLUSIVE', 'scan');
        }
        break;
      }
      case 'AT_DropColumn':
        parts.push('DROP COLUMN');
        result.columns.drop.push(column);
        raise('ACCESS EXCLUSIVE');
        break;
      case 'AT_AlterColumnType': {
        parts.push('ALTER COLUMN TYPE');
        const def = node(node(cmd.def)?.ColumnDef);
        result.columns.alterType.push({ column, type: typeNameText(def?.typeName) });
        // A binary-compatible change (varchar(n) → text, a longer varchar) skips the rewrite; the old type is not in the snapshot.
        raise('ACCESS EXCLUSIVE', 'rewrite');
        break;
      }
      case 'AT_SetNotNull':
        parts.push('SET NOT NULL');
        result.columns.setNotNull.push(column);
        raise('ACCESS EXCLUSIVE', 'scan');
        break;
      case 'AT_AddConstraint': {
        const c = constraintOf(cmd.def);
        if (!c) break;
        if (c.contype === 'CONSTR_FOREIGN') {
          parts.push(notValid(c) ? 'ADD FOREIGN KEY NOT VALID' : 'ADD FOREIGN KEY');
          foreignKey(c, nameList(c.fk_attrs));
        } else if (c.contype === 'CONSTR_CHECK') {
          parts.push(notValid(c) ? 'ADD CHECK NOT VALID' : 'ADD CHECK');
          raise('ACCESS EXCLUSIVE', notValid(c) ? 'none' : 'scan');
        } else if (c.contype === 'CONSTR_PRIMARY' || c.contype === 'CONSTR_UNIQUE' || c.contype === 'CONSTR_EXCLUSION') {
          parts.push(
            `ADD ${c.contype === 'CONSTR_PRIMARY' ? 'PRIMARY KEY' : c.contype === 'CONSTR_UNIQUE' ? 'UNIQUE' : 'EXCLUDE'}${c.indexname ? ' USING INDEX' : ''}`,
          );
          raise('ACCESS EXCLUSIVE', c.indexname ? 'none' : 'scan');
        } else {
          parts.push('ADD CONSTRAINT');
          raise('ACCESS EXCLUSIVE');
        }
        break;
      }
      case 'AT_ValidateConstraint':
        parts.push('VALIDATE CONSTRAINT');
        // Documented: SHARE UPDATE EXCLUSIVE on the table, ROW SHARE on the table a foreign key references.
        result.intents.push({ on: 'fk-referenced', table, constraint: column, mode: 'ROW SHARE' });
        effect = stronger(effect, 'scan');
        break;
      case 'AT_DropConstraint':
        parts.push('DROP CONSTRAINT');
        result.intents.push({ on: 'fk-referenced', table, constraint: column, mode: 'ACCESS EXCLUSIVE' });
        raise('ACCESS EXCLUSIVE');
        break;
      case 'AT_SetRelOptions':
      case 'AT_ResetRelOptions':
      case 'AT_SetStatistics':
      case 'AT_ClusterOn':
      case 'AT_DropCluster':
      case 'AT_AttachPartition':
        parts.push(
          subtype
            .slice(3)
            .replace(/([a-z])([A-Z])/g, '$1 $2')
            .toUpperCase(),
        );
        raise('SHARE UPDATE EXCLUSIVE');
        break;
      case 'AT_EnableTrig':
      case 'AT_EnableAlwaysTrig':
      case 'AT_EnableReplicaTrig':
      case 'AT_DisableTrig':
      case 'AT_EnableTrigAll':
      case 'AT_DisableTrigAll':
      case 'AT_EnableTrigUser':
      case 'AT_DisableTrigUser':
        parts.push('ENABLE/DISABLE TRIGGER');
        raise('SHARE ROW EXCLUSIVE');
        break;
      case 'AT_SetLogged':
      case 'AT_SetUnLogged':
      case 'AT_SetAccessMethod':
        parts.push(
          subtype
            .slice(3)
            .replace(/([a-z])([A-Z])/g, '$1 $2')
            .toUpperCase(),
        );
        raise('ACCESS EXCLUSIVE', 'rewrite');
        break;
      default:
        parts.push(
          subtype
            .replace(/^AT_/, '')
            .replace(/([a-z])([A-Z])/g, '$1 $2')
            .toUpperCase(),
        );
        raise('ACCESS EXCLUSIVE');
    }
  }
  result.kind = `ALTER TABLE … ${[...new Set(parts)].join(', ')}`;
  result.intents.unshift({ on: 'table', ref: table, mode, effect });
  return result;
}

/** The locks a statement takes, by kind. `serverVersionNum` is e.g. 150004. */
export function statementLocks(parsed: Pick<ParsedStatement, 'node'>, serverVersionNum: number): StatementLocks {
  const root = parsed.node;
  if (!root) return { ...emptyLocks('unparsed'), note: "PostgreSQL's parser did not accept this file: its locks are unknown" };
  const [type, value] = Object.entries(root)[0] ?? ['', {}];
  const stmt = node(value) ?? {};
  switch (type) {
    case 'AlterTableStmt':
      if (str(stmt.objtype) !== 'OBJECT_TABLE') return emptyLocks(`ALTER ${str(stmt.objtype).replace('OBJECT_', '')}`);
      return alterTable(stmt, serverVersionNum);
    case 'CreateStmt': {
      const table = rangeVar(stmt.relation);
      const result = emptyLocks('CREATE TABLE');
      if (!table) return result;
      result.creates.push(table);
      result.intents.push({ on: 'table', ref: table, mode: 'ACCESS EXCLUSIVE', effect: 'none' });
      const constraints = [
        ...list(stmt.tableElts).flatMap((el) => list(node(node(el)?.ColumnDef)?.constraints)),
        ...list(stmt.tableElts),
        ...list(stmt.constraints),
      ]
        .map(constraintOf)
        .filter((c): c is Constraint => c?.contype === 'CONSTR_FOREIGN');
      for (const c of constraints) {
        const referenced = rangeVar(c.pktable);
        if (referenced) result.intents.push({ on: 'table', ref: referenced, mode: 'SHARE ROW EXCLUSIVE', effect: 'none' });
      }
      for (const parent of list(stmt.inhRelations)) {
        const ref = rangeVar(parent);
        if (ref) result.intents.push({ on: 'table', ref, mode: stmt.partbound ? 'ACCESS EXCLUSIVE' : 'SHARE UPDATE EXCLUSIVE', effect: 'none' });
      }
      return result;
    }
    case 'CreateTableAsStmt': {
      const into = rangeVar(node(node(stmt.into)?.IntoClause)?.rel ?? node(stmt.into)?.rel);
      const result = emptyLocks('CREATE TABLE AS');
      if (into) result.creates.push(into);
      for (const ref of rangeVarsIn(stmt.query)) result.intents.push({ on: 'table', ref, mode: 'ACCESS SHARE', effect: 'scan' });
      return result;
    }
    case 'DropStmt': {
      const removeType = str(stmt.removeType);
      const objects = list(stmt.objects).map((o) => qualified(nameList(o)));
      const cascade = str(stmt.behavior) === 'DROP_CASCADE';
      if (removeType === 'OBJECT_TABLE') {
        const result = emptyLocks('DROP TABLE');
        for (const ref of objects) {
          result.intents.push({ on: 'table', ref, mode: 'ACCESS EXCLUSIVE', effect: 'none' });
          result.intents.push({ on: 'fk-neighbours', table: ref, referenced: true, referencing: cascade ? 'direct' : 'no', mode: 'ACCESS EXCLUSIVE' });
        }
        return result;
      }
      if (removeType === 'OBJECT_INDEX') {
        const concurrent = stmt.concurrent === true;
        const result = { ...emptyLocks(concurrent ? 'DROP INDEX CONCURRENTLY' : 'DROP INDEX'), concurrent };
        for (const ref of objects) result.intents.push({ on: 'index', ref, mode: concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE', effect: 'none' });
        if (concurrent) result.note = 'cannot run inside a transaction: in Prisma, it must be the only statement of its migration.sql';
        return result;
      }
      return emptyLocks(`DROP ${removeType.replace('OBJECT_', '')}`);
    }
    case 'TruncateStmt': {
      const result = emptyLocks('TRUNCATE');
      const cascade = str(stmt.behavior) === 'DROP_CASCADE';
      for (const rel of list(stmt.relations)) {
        const ref = rangeVar(rel);
        if (ref) result.intents.push({ on: 'table', ref, mode: 'ACCESS EXCLUSIVE', effect: 'none' });
        if (ref && cascade) result.intents.push({ on: 'fk-neighbours', table: ref, referenced: false, referencing: 'transitive', mode: 'ACCESS EXCLUSIVE' });
      }
      return result;
    }
    case 'IndexStmt': {
      const table = rangeVar(stmt.relation);
      const concurrent = stmt.concurrent === true;
      const result = { ...emptyLocks(`CREATE ${stmt.unique ? 'UNIQUE ' : ''}INDEX${concurrent ? ' CONCURRENTLY' : ''}`), concurrent };
      if (!table) return result;
      // CONCURRENTLY takes a weaker lock but scans the table twice and waits for every older transaction.
      result.intents.push({ on: 'table', ref: table, mode: concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE', effect: 'scan' });
      if (typeof stmt.idxname === 'string') result.createsIndex = { index: { schema: table.schema, name: stmt.idxname }, table };
      if (concurrent)
        result.note =
          'cannot run inside a transaction: in Prisma, it must be the only statement of its migration.sql; a failed build leaves an INVALID index to drop';
      return result;
    }
    case 'ReindexStmt': {
      const ref = rangeVar(stmt.relation);
      const concurrent = list(stmt.params).some((p) => str(node(node(p)?.DefElem)?.defname) === 'concurrently');
      const result = { ...emptyLocks(`REINDEX${concurrent ? ' CONCURRENTLY' : ''}`), concurrent };
      if (!ref) return result;
      const mode: LockMode = concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE';
      if (concurrent) result.note = 'cannot run inside a transaction: in Prisma, it must be the only statement of its migration.sql';
      result.intents.push(str(stmt.kind) === 'REINDEX_OBJECT_INDEX' ? { on: 'index', ref, mode, effect: 'scan' } : { on: 'table', ref, mode, effect: 'scan' });
      return result;
    }
    case 'RenameStmt': {
      const renameType = str(stmt.renameType);
      const ref = rangeVar(stmt.relation);
      const what = renameType.replace('OBJECT_', '');
      const result = emptyLocks(`RENAME ${what}`);
      // Renaming an index locks only the index; tables, columns and constraints take ACCESS EXCLUSIVE.
      if (ref && ['OBJECT_TABLE', 'OBJECT_COLUMN', 'OBJECT_TABCONSTRAINT'].includes(renameType)) {
        result.intents.push({ on: 'table', ref, mode: 'ACCESS EXCLUSIVE', effect: 'none' });
      }
      if (ref && renameType === 'OBJECT_TABLE' && typeof stmt.newname === 'string')
        result.renames = { from: ref, to: { schema: ref.schema, name: stmt.newname } };
      return result;
    }
    case 'CreateTrigStmt': {
      const ref = rangeVar(stmt.relation);
      const result = emptyLocks('CREATE TRIGGER');
      if (ref) result.intents.push({ on: 'table', ref, mode: 'SHARE ROW EXCLUSIVE', effect: 'none' });
      return result;
    }
    case 'InsertStmt':
    case 'UpdateStmt':
    case 'DeleteStmt': {
      const target = rangeVar(stmt.relation);
      const kind = type === 'InsertStmt' ? 'INSERT' : type === 'UpdateStmt' ? 'UPDATE' : 'DELETE';
      const result = emptyLocks(kind);
      if (target) result.intents.push({ on: 'table', ref: target, mode: 'ROW EXCLUSIVE', effect: kind === 'INSERT' ? 'none' : 'scan' });
      const { relation: _target, ...rest } = stmt;
      for (const ref of rangeVarsIn(rest)) result.intents.push({ on: 'table', ref, mode: 'ACCESS SHARE', effect: 'scan' });
      return result;
    }
    case 'ViewStmt': {
      const result = emptyLocks('CREATE VIEW');
      for (const ref of rangeVarsIn(stmt.query)) result.intents.push({ on: 'table', ref, mode: 'ACCESS SHARE', effect: 'none' });
      return result;
    }
    case 'CommentStmt':
      return emptyLocks('COMMENT');
    case 'AlterEnumStmt':
      return emptyLocks(stmt.oldVal ? 'ALTER TYPE … RENAME VALUE' : 'ALTER TYPE … ADD VALUE');
    default:
      return emptyLocks(
        type
          .replace(/Stmt$/, '')
          .replace(/([a-z])([A-Z])/g, '$1 $2')
          .toUpperCase(),
      );
  }
}
