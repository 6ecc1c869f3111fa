// Proves the database built by our SQL migrations matches the Prisma schema (prisma/schema/*.prisma):
// tables, columns, types, nullability, defaults, primary keys, unique constraints, indexes, foreign keys
// and enums. The expected side is Prisma's own parse of the schema (app/generated/dmmf.json, written by
// scripts/prisma-dmmf-generator.mjs during `prisma generate`), so the two cannot drift apart.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { pool } from '~/modules/db/db.server';

type Field = {
  name: string; dbName?: string; kind: 'scalar' | 'enum' | 'object'; type: string; isList: boolean; isRequired: boolean;
  isUnique: boolean; isId: boolean; hasDefaultValue: boolean; nativeType: [string, string[]] | null;
  default?: { name?: string } | string | number | boolean; relationFromFields?: string[]; relationToFields?: string[]; relationOnDelete?: string;
};
type Model = { name: string; dbName: string | null; fields: Field[]; primaryKey: { fields: string[] } | null; uniqueFields: string[][] };
type Dmmf = { datamodel: { models: Model[]; enums: Array<{ name: string; dbName?: string | null; values: Array<{ name: string }> }>; indexes: Array<{ model: string; type: string; fields: Array<{ name: string }>; dbName?: string }> } };

const dmmf: Dmmf = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../app/generated/dmmf.json'), 'utf8'));
const models = dmmf.datamodel.models;
const tableOf = (m: Model) => m.dbName ?? m.name;
const columnOf = (m: Model, fieldName: string) => {
  const f = m.fields.find((x) => x.name === fieldName)!;
  return f.dbName ?? f.name;
};

function expectedType(f: Field): string {
  if (f.kind === 'enum') return `enum:${dmmf.datamodel.enums.find((e) => e.name === f.type)?.dbName ?? f.type}`;
  const [native, args] = f.nativeType ?? [null, []];
  switch (f.type) {
    case 'String':
      if (native === 'VarChar') return `character varying(${args[0]})`;
      if (native === 'Char') return `character(${args[0]})`;
      if (native === 'Uuid') return 'uuid';
      return 'text';
    case 'Int': return 'integer';
    case 'BigInt': return 'bigint';
    case 'Boolean': return 'boolean';
    case 'Float': return 'double precision';
    case 'Decimal': return native === 'Decimal' ? `numeric(${args.join(',')})` : 'numeric(65,30)';
    case 'Json': return native === 'Json' ? 'json' : 'jsonb';
    case 'Bytes': return 'bytea';
    case 'DateTime':
      if (native === 'Date') return 'date';
      if (native === 'Timestamptz') return `timestamp with time zone(${args[0] ?? 6})`;
      return `timestamp without time zone(${native === 'Timestamp' ? (args[0] ?? 6) : 3})`;
    default:
      throw new Error(`schema-drift test does not know Prisma type ${f.type}`);
  }
}

type Col = { table: string; column: string; type: string; nullable: boolean; hasDefault: boolean; isArray: boolean };
let columns: Col[] = [];
let sqlOnlyIndexes: Array<{ table: string; name: string }> = [];
let uniques: Array<{ table: string; columns: string[]; primary: boolean; unique: boolean }> = [];
let fks: Array<{ table: string; columns: string[]; refTable: string; refColumns: string[]; onDelete: string }> = [];
let enums: Map<string, string[]>;

beforeAll(async () => {
  const db = pool();
  const cols = await db.query(`
    select c.table_name, c.column_name, c.data_type, c.udt_name, c.is_nullable, c.column_default,
           c.character_maximum_length, c.datetime_precision, c.numeric_precision, c.numeric_scale
    from information_schema.columns c join information_schema.tables t using (table_schema, table_name)
    where c.table_schema = 'public' and t.table_type = 'BASE TABLE' and c.table_name <> '_prisma_migrations'`);
  columns = cols.rows.map((r) => {
    let type: string = r.data_type;
    if (type === 'USER-DEFINED') type = `enum:${r.udt_name}`;
    else if (type === 'character varying' || type === 'character') type = `${type}(${r.character_maximum_length})`;
    else if (type.startsWith('timestamp')) type = `${type}(${r.datetime_precision})`;
    else if (type === 'numeric') type = `numeric(${r.numeric_precision},${r.numeric_scale})`;
    else if (type === 'ARRAY') type = `array:${r.udt_name}`;
    return { table: r.table_name, column: r.column_name, type, nullable: r.is_nullable === 'YES', hasDefault: r.column_default !== null, isArray: r.data_type === 'ARRAY' };
  });
  const idx = await db.query(`
    select t.relname as table, i.indisprimary as primary, i.indisunique as unique,
           array(select a.attname from unnest(i.indkey) with ordinality k(attnum, ord) join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum order by k.ord)::text[] as columns
    from pg_index i join pg_class t on t.oid = i.indrelid join pg_namespace n on n.oid = t.relnamespace
    where n.nspname = 'public' and t.relkind = 'r' and t.relname <> '_prisma_migrations' and i.indexprs is null and i.indpred is null`);
  uniques = idx.rows;
  // Partial and expression indexes cannot be written in schema.prisma: each must be named in a `///` comment there.
  const sqlOnly = await db.query(`
    select t.relname as table, c.relname as name from pg_index i join pg_class t on t.oid = i.indrelid join pg_class c on c.oid = i.indexrelid
    join pg_namespace n on n.oid = t.relnamespace
    where n.nspname = 'public' and t.relkind = 'r' and (i.indexprs is not null or i.indpred is not null)`);
  sqlOnlyIndexes = sqlOnly.rows;
  const fk = await db.query(`
    select c.conrelid::regclass::text as table, c.confrelid::regclass::text as ref_table, c.confdeltype,
      array(select a.attname from unnest(c.conkey) with ordinality k(n, o) join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n order by k.o)::text[] as columns,
      array(select a.attname from unnest(c.confkey) with ordinality k(n, o) join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.n order by k.o)::text[] as ref_columns
    from pg_constraint c join pg_namespace n on n.oid = c.connamespace where c.contype = 'f' and n.nspname = 'public'`);
  const del: Record<string, string> = { a: 'NoAction', r: 'Restrict', c: 'Cascade', n: 'SetNull', d: 'SetDefault' };
  fks = fk.rows.map((r) => ({ table: r.table.replace(/"/g, ''), columns: r.columns, refTable: r.ref_table.replace(/"/g, ''), refColumns: r.ref_columns, onDelete: del[r.confdeltype]! }));
  const en = await db.query(`select t.typname, array_agg(e.enumlabel order by e.enumsortorder)::text[] as labels from pg_type t join pg_enum e on e.enumtypid = t.oid group by t.typname`);
  enums = new Map(en.rows.map((r) => [r.typname, r.labels]));
});

describe('migrated database = schema.prisma', () => {
  it('names every partial or expression index (SQL-only) in a /// comment of schema.prisma', () => {
    const schemaText = fs.readdirSync(path.join(process.cwd(), 'prisma/schema')).map((f) => fs.readFileSync(path.join(process.cwd(), 'prisma/schema', f), 'utf8')).join('\n');
    const documented = new Set([...schemaText.matchAll(/^\s*\/\/\/.*$/gm)].flatMap((m) => m[0].match(/[a-z0-9_]+/g) ?? []));
    expect(sqlOnlyIndexes.filter((i) => !documented.has(i.name)).map((i) => `${i.table}.${i.name}`)).toEqual([]);
  });
  it('has exactly the tables of the schema', () => {
    const dbTables = [...new Set(columns.map((c) => c.table))].sort();
    expect(dbTables).toEqual(models.map(tableOf).sort());
  });

  it('has the enums of the schema with the same values in order', () => {
    for (const e of dmmf.datamodel.enums) expect(enums.get(e.dbName ?? e.name), e.name).toEqual(e.values.map((v) => v.name));
  });

  for (const m of models) {
    describe(tableOf(m), () => {
      const scalars = m.fields.filter((f) => f.kind !== 'object');
      it('has the same columns, types, nullability and defaults', () => {
        const dbCols = columns.filter((c) => c.table === tableOf(m));
        expect(dbCols.map((c) => c.column).sort(), 'column names').toEqual(scalars.map((f) => f.dbName ?? f.name).sort());
        for (const f of scalars) {
          const c = dbCols.find((x) => x.column === (f.dbName ?? f.name))!;
          const label = `${tableOf(m)}.${c.column}`;
          if (f.isList) expect(c.isArray, label).toBe(true);
          else expect(c.type, `${label} type`).toBe(expectedType(f));
          expect(c.nullable, `${label} nullable`).toBe(!f.isRequired && !f.isList);
          const dbDefault = f.hasDefaultValue && !(typeof f.default === 'object' && ['cuid', 'uuid', 'nanoid', 'ulid'].includes(f.default?.name ?? ''));
          expect(c.hasDefault, `${label} default`).toBe(dbDefault);
        }
      });

      it('has the same primary key', () => {
        const expected = m.primaryKey?.fields ?? m.fields.filter((f) => f.isId).map((f) => f.name);
        const pk = uniques.find((u) => u.table === tableOf(m) && u.primary);
        expect(pk?.columns, 'primary key').toEqual(expected.map((n) => columnOf(m, n)));
      });

      it('has the same unique constraints and indexes', () => {
        const key = (cols: string[]) => cols.join(',');
        const expectedUnique = [
          ...m.fields.filter((f) => f.isUnique).map((f) => [f.dbName ?? f.name]),
          ...m.uniqueFields.map((fs) => fs.map((n) => columnOf(m, n))),
        ].map(key).sort();
        const dbUnique = uniques.filter((u) => u.table === tableOf(m) && u.unique && !u.primary).map((u) => key(u.columns)).sort();
        expect(dbUnique, 'unique').toEqual(expectedUnique);
        const expectedIdx = dmmf.datamodel.indexes.filter((i) => i.model === m.name && i.type === 'normal').map((i) => key(i.fields.map((f) => columnOf(m, f.name)))).sort();
        const dbIdx = uniques.filter((u) => u.table === tableOf(m) && !u.unique).map((u) => key(u.columns)).sort();
        expect(dbIdx, 'indexes').toEqual(expectedIdx);
      });

      it('has the same foreign keys', () => {
        const expected = m.fields
          .filter((f) => f.kind === 'object' && f.relationFromFields?.length)
          .map((f) => {
            const target = models.find((x) => x.name === f.type)!;
            return {
              table: tableOf(m),
              columns: f.relationFromFields!.map((n) => columnOf(m, n)),
              refTable: tableOf(target),
              refColumns: f.relationToFields!.map((n) => columnOf(target, n)),
              onDelete: f.relationOnDelete ?? (f.isRequired ? 'Restrict' : 'SetNull'),
            };
          });
        const sort = (a: { columns: string[] }, b: { columns: string[] }) => a.columns.join().localeCompare(b.columns.join());
        expect(fks.filter((k) => k.table === tableOf(m)).sort(sort)).toEqual(expected.sort(sort));
      });
    });
  }
});
