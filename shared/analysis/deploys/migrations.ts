/**
 * The one place schema migrations and schema errors are recognized, each pattern with a line in
 * the shape its tool writes it (tests/unit/deploys/migrations.test.ts reads every sample).
 */

export type MigrationKind =
  /** A migration ran (or started to). */
  | 'applied'
  /** The tool ran and found nothing to apply. */
  | 'up-to-date'

export interface MigrationPattern {
  id: string
  tool: string
  kind: MigrationKind
  pattern: RegExp
  sample: string
  /** The migration the sample names, when it names one. */
  expectId: string | null
}

export const MIGRATIONS: readonly MigrationPattern[] = [
  { id: 'rails-migrating', tool: 'Rails', kind: 'applied', pattern: /^== (?<id>\d{14} \w+): (?:migrating|migrated)\b/, sample: '== 20240311093000 AddDiscountToOrders: migrating ==========================', expectId: '20240311093000 AddDiscountToOrders' },
  { id: 'rails-migrating-log', tool: 'Rails', kind: 'applied', pattern: /\bMigrating to (?<id>\w+ \(\d{14}\))/, sample: 'Migrating to AddDiscountToOrders (20240311093000)', expectId: 'AddDiscountToOrders (20240311093000)' },
  { id: 'django-applying', tool: 'Django', kind: 'applied', pattern: /\bApplying (?<id>\w+\.\d{4}_\w+)\.\.\./, sample: '  Applying orders.0042_order_discount... OK', expectId: 'orders.0042_order_discount' },
  { id: 'django-none', tool: 'Django', kind: 'up-to-date', pattern: /^\s*No migrations to apply\.?$/, sample: '  No migrations to apply.', expectId: null },
  { id: 'alembic-upgrade', tool: 'Alembic', kind: 'applied', pattern: /\[alembic\.runtime\.migration\] Running upgrade \S* ?-> (?<id>\w+)/, sample: 'INFO  [alembic.runtime.migration] Running upgrade a1b2c3d4e5f6 -> b2c3d4e5f6a7, add discount to orders', expectId: 'b2c3d4e5f6a7' },
  { id: 'flyway-migrating', tool: 'Flyway', kind: 'applied', pattern: /\bMigrating schema "?[^"\s]+"? to version "?(?<id>[^"]+?)"?$/, sample: 'Migrating schema "public" to version "42 - add discount to orders"', expectId: '42 - add discount to orders' },
  { id: 'flyway-applied', tool: 'Flyway', kind: 'applied', pattern: /\bSuccessfully applied (?:[1-9]\d*) migrations? to schema\b/, sample: 'Successfully applied 1 migration to schema "public", now at version v42 (execution time 00:00.041s)', expectId: null },
  { id: 'flyway-up-to-date', tool: 'Flyway', kind: 'up-to-date', pattern: /\bSchema "?[^"\s]+"? is up to date\. No migration necessary\./, sample: 'Schema "public" is up to date. No migration necessary.', expectId: null },
  { id: 'liquibase-changeset', tool: 'Liquibase', kind: 'applied', pattern: /\bChangeSet (?<id>\S+) ran successfully in \d+ ?ms\b/, sample: 'ChangeSet db/changelog/042-add-discount.yaml::42::dev ran successfully in 14ms', expectId: 'db/changelog/042-add-discount.yaml::42::dev' },
  { id: 'liquibase-none', tool: 'Liquibase', kind: 'up-to-date', pattern: /\bDatabase is up to date, no changesets to execute\b/, sample: 'Database is up to date, no changesets to execute', expectId: null },
  { id: 'laravel-migrating', tool: 'Laravel', kind: 'applied', pattern: /\bMigrat(?:ing|ed): +(?<id>\d{4}_\d{2}_\d{2}_\d{6}_\w+)/, sample: 'Migrating: 2024_03_11_093000_add_discount_to_orders_table', expectId: '2024_03_11_093000_add_discount_to_orders_table' },
  { id: 'laravel-done', tool: 'Laravel', kind: 'applied', pattern: /^\s*(?<id>\d{4}_\d{2}_\d{2}_\d{6}_\w+) \.+ [\d.]+ ?ms DONE$/, sample: '  2024_03_11_093000_add_discount_to_orders_table ........................ 23ms DONE', expectId: '2024_03_11_093000_add_discount_to_orders_table' },
  { id: 'laravel-none', tool: 'Laravel', kind: 'up-to-date', pattern: /^\s*(?:INFO\s+)?Nothing to migrate\.?$/, sample: '   INFO  Nothing to migrate.', expectId: null },
  { id: 'prisma-applying', tool: 'Prisma', kind: 'applied', pattern: /\bApplying migration `(?<id>[^`]+)`/, sample: 'Applying migration `20240311093000_add_discount`', expectId: '20240311093000_add_discount' },
  { id: 'prisma-none', tool: 'Prisma', kind: 'up-to-date', pattern: /\bNo pending migrations to apply\.?/, sample: 'No pending migrations to apply.', expectId: null },
  { id: 'ef-core-applying', tool: 'Entity Framework Core', kind: 'applied', pattern: /\bApplying migration '(?<id>[^']+)'\./, sample: "Applying migration '20240311093000_AddDiscount'.", expectId: '20240311093000_AddDiscount' },
  { id: 'golang-migrate', tool: 'golang-migrate', kind: 'applied', pattern: /^(?<id>\d+\/u \w+) \(\d+(?:\.\d+)?m?s\)$/, sample: '42/u add_discount_to_orders (12.41ms)', expectId: '42/u add_discount_to_orders' }
]

const MIGRATION_HINT = /migrat|applying|upgrade|changeset|DONE|\/u /i

export interface MigrationMatch {
  pattern: MigrationPattern
  id: string | null
}

export function matchMigration(text: string): MigrationMatch | null {
  if (text.length > 400 || !MIGRATION_HINT.test(text)) return null
  for (const pattern of MIGRATIONS) {
    const m = pattern.pattern.exec(text)
    if (m !== null) return { pattern, id: m.groups?.id ?? null }
  }
  return null
}

export interface SchemaErrorPattern {
  id: string
  /**
   * `missing`: the code names a column/table the database does not have; `type`: the types
   * disagree; `pending`: the framework itself says a migration has not run.
   */
  kind: 'missing' | 'type' | 'pending'
  pattern: RegExp
  sample: string
}

/** Errors that say the code and the database schema disagree (PostgreSQL, MySQL, SQLite, SQL Server, Oracle, ORMs). */
export const SCHEMA_ERRORS: readonly SchemaErrorPattern[] = [
  { id: 'pg-undefined', kind: 'missing', pattern: /\bUndefined(?:Column|Table)\b/, sample: 'PG::UndefinedColumn: ERROR:  column orders.discount_cents does not exist' },
  { id: 'pg-column', kind: 'missing', pattern: /\bcolumn "?[\w.]+"?(?: of relation "?\w+"?)? does not exist\b/, sample: 'ERROR: column "discount_cents" of relation "orders" does not exist' },
  { id: 'pg-relation', kind: 'missing', pattern: /\brelation "?[\w.]+"? does not exist\b/, sample: 'django.db.utils.ProgrammingError: relation "orders_discount" does not exist' },
  { id: 'mysql-column', kind: 'missing', pattern: /\bUnknown column '[^']+' in '[^']+'/, sample: "SQLSTATE[42S22]: Column not found: 1054 Unknown column 'discount_cents' in 'field list'" },
  { id: 'mysql-table', kind: 'missing', pattern: /\bTable '[^']+' doesn't exist\b/, sample: "SQLSTATE[42S02]: Base table or view not found: 1146 Table 'shop.discounts' doesn't exist" },
  { id: 'sqlite', kind: 'missing', pattern: /\bno such (?:column|table): \S+/, sample: 'sqlite3.OperationalError: no such column: orders.discount_cents' },
  { id: 'mssql', kind: 'missing', pattern: /\bInvalid (?:column|object) name '[^']+'/, sample: "Microsoft.Data.SqlClient.SqlException (0x80131904): Invalid column name 'DiscountCents'." },
  { id: 'oracle', kind: 'missing', pattern: /\bORA-00904: "?[\w.]+"?: invalid identifier\b|\bORA-00942: table or view does not exist\b/, sample: 'java.sql.SQLSyntaxErrorException: ORA-00904: "DISCOUNT_CENTS": invalid identifier' },
  { id: 'prisma-column', kind: 'missing', pattern: /\bThe (?:column|table) `[^`]+` does not exist in the current database\b/, sample: 'Invalid `prisma.order.findMany()` invocation: The column `Order.discountCents` does not exist in the current database.' },
  { id: 'pg-type', kind: 'type', pattern: /\bcolumn "?\w+"? is of type \w[\w ]* but expression is of type\b|\boperator does not exist: \w+ = \w+/, sample: 'ERROR: column "status" is of type order_status but expression is of type integer' },
  { id: 'rails-pending', kind: 'pending', pattern: /\bActiveRecord::PendingMigrationError\b|\bMigrations are pending\. To resolve this issue, run\b/, sample: 'ActiveRecord::PendingMigrationError (Migrations are pending. To resolve this issue, run: bin/rails db:migrate RAILS_ENV=production)' },
  { id: 'mysql-type', kind: 'type', pattern: /\bIncorrect (?:integer|decimal|datetime|date) value: '[^']*' for column\b|\bData truncated for column '[^']+'/, sample: "SQLSTATE[HY000]: General error: 1366 Incorrect integer value: 'gold' for column 'tier' at row 1" }
]

/** Whether an error's text says the code and the schema disagree; null when it does not. */
export function matchSchemaError(text: string): SchemaErrorPattern | null {
  for (const p of SCHEMA_ERRORS) if (p.pattern.test(text)) return p
  return null
}
