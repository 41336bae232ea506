/**
 * The tables of the database this process opened. Models import them from here and build their
 * queries once for either engine: db/client.ts calls `useDialectTables` when it opens the
 * process's database, and these bindings (ES live bindings) then name that engine's tables.
 * They are typed as the SQLite tables; the PostgreSQL ones have the same keys, columns and JS
 * values (test/schema-parity.test.ts), so one type serves both. See decision record 0017.
 */
import * as pgTables from './schema-pg';
import * as sqliteTables from './schema-sqlite';

export {
  bankSources,
  bankStatuses,
  cardActionKinds,
  optimizerRunStatuses,
  optimizerTriggers,
  parameterChoices,
  quizModes,
  regradeActions,
  reviewOrigins,
  subscriptionStates,
  userRoles,
  variantCheckSources,
  type CardActionKind,
  type OptimizerRunStatus,
  type OptimizerTrigger,
  type ParameterChoice,
  type QuizMode,
  type RegradeAction,
  type ReviewOrigin,
  type SubscriptionState,
  type UserRole,
  type VariantCheckSource,
} from './schema-shared';

export type Dialect = 'sqlite' | 'postgres';
type Tables = typeof sqliteTables;

export let users = sqliteTables.users;
export let sessions = sqliteTables.sessions;
export let loginFailures = sqliteTables.loginFailures;
export let passwordTokens = sqliteTables.passwordTokens;
export let invitations = sqliteTables.invitations;
export let banks = sqliteTables.banks;
export let bankVersions = sqliteTables.bankVersions;
export let items = sqliteTables.items;
export let classes = sqliteTables.classes;
export let memberships = sqliteTables.memberships;
export let classBanks = sqliteTables.classBanks;
export let cards = sqliteTables.cards;
export let reviews = sqliteTables.reviews;
export let quizAttempts = sqliteTables.quizAttempts;
export let quizAnswers = sqliteTables.quizAnswers;
export let appSecrets = sqliteTables.appSecrets;
export let subscriptions = sqliteTables.subscriptions;
export let cardActions = sqliteTables.cardActions;
export let optimizerRuns = sqliteTables.optimizerRuns;
export let exams = sqliteTables.exams;
export let quizAssignments = sqliteTables.quizAssignments;
export let quizAccommodations = sqliteTables.quizAccommodations;
export let quizRegrades = sqliteTables.quizRegrades;
export let variantChecks = sqliteTables.variantChecks;

/** The tables of `dialect`, as one object (for the data layer's own queries: copy, health). */
export function tablesOf(dialect: Dialect): Tables {
  return dialect === 'postgres' ? (pgTables as unknown as Tables) : sqliteTables;
}

let activeDialect: Dialect = 'sqlite';

/** Which engine's tables the bindings above name. */
export function dialectOfTables(): Dialect {
  return activeDialect;
}

/** Points the bindings above at `dialect`'s tables; called by db/client.ts on opening the process's database. */
export function useDialectTables(dialect: Dialect): void {
  const t = tablesOf(dialect);
  activeDialect = dialect;
  users = t.users;
  sessions = t.sessions;
  loginFailures = t.loginFailures;
  passwordTokens = t.passwordTokens;
  invitations = t.invitations;
  banks = t.banks;
  bankVersions = t.bankVersions;
  items = t.items;
  classes = t.classes;
  memberships = t.memberships;
  classBanks = t.classBanks;
  cards = t.cards;
  reviews = t.reviews;
  quizAttempts = t.quizAttempts;
  quizAnswers = t.quizAnswers;
  appSecrets = t.appSecrets;
  subscriptions = t.subscriptions;
  cardActions = t.cardActions;
  optimizerRuns = t.optimizerRuns;
  exams = t.exams;
  quizAssignments = t.quizAssignments;
  quizAccommodations = t.quizAccommodations;
  quizRegrades = t.quizRegrades;
  variantChecks = t.variantChecks;
}

export type User = Tables['users']['$inferSelect'];
export type CardRow = Tables['cards']['$inferSelect'];
export type ReviewRow = Tables['reviews']['$inferSelect'];
export type ItemRow = Tables['items']['$inferSelect'];
export type BankRow = Tables['banks']['$inferSelect'];
export type CardActionRow = Tables['cardActions']['$inferSelect'];
export type OptimizerRunRow = Tables['optimizerRuns']['$inferSelect'];
export type ExamRow = Tables['exams']['$inferSelect'];
export type QuizAssignmentRow = Tables['quizAssignments']['$inferSelect'];
export type VariantCheckRow = Tables['variantChecks']['$inferSelect'];
export type QuizAccommodationRow = Tables['quizAccommodations']['$inferSelect'];
