/**
 * The database on SQLite: users and their settings, banks and items, classes, the ts-fsrs card
 * of each user on each item, every review, quiz attempts. Keys are camelCase, columns
 * snake_case. Instants are integer milliseconds since the epoch (drizzle's timestamp_ms → Date).
 * db/schema-pg.ts is the same schema for PostgreSQL; test/schema-parity.test.ts keeps them equal.
 */
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { bankSources, bankStatuses, cardActionKinds, optimizerRunStatuses, optimizerTriggers, parameterChoices, quizModes, regradeActions, reviewOrigins, variantCheckSources, subscriptionStates, userRoles } from './schema-shared';

export const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** Stored lower-cased, so the unique index is case-insensitive in effect. */
  email: text('email').notNull().unique(),
  displayName: text('display_name').notNull(),
  role: text('role', { enum: userRoles }).notNull().default('student'),
  /** `scrypt$N$r$p$salt$hash`, salt and hash base64: the parameters travel with the hash. */
  passwordHash: text('password_hash').notNull(),
  /** IANA zone; the study day turns over at rolloverHour there. */
  timeZone: text('time_zone').notNull().default('UTC'),
  rolloverHour: integer('rollover_hour').notNull().default(4),
  newPerDay: integer('new_per_day').notNull().default(20),
  reviewsPerDay: integer('reviews_per_day').notNull().default(200),
  desiredRetention: real('desired_retention').notNull().default(0.9),
  maxIntervalDays: integer('max_interval_days').notNull().default(36500),
  /** ts-fsrs learning steps, as the settings page writes them ('1m 10m'); app/scheduling/steps.ts reads them. */
  learningSteps: text('learning_steps').notNull().default('1m 10m'),
  relearningSteps: text('relearning_steps').notNull().default('10m'),
  /** The FSRS parameters that schedule this user, JSON (21 numbers); null: ts-fsrs's defaults. A copy of the chosen set, so the review path reads one row. */
  fsrsParameters: text('fsrs_parameters'),
  parameterChoice: text('parameter_choice', { enum: parameterChoices }).notNull().default('auto'),
  /** The optimizer run whose set is in use (null: the defaults); with choice 'run', the one the user chose. */
  parameterRunId: integer('parameter_run_id'),
  /** Why this set is in use, in words, for the settings page. */
  parameterReason: text('parameter_reason'),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
});

export const sessions = sqliteTable(
  'sessions',
  {
    /** sha256 (hex) of the id in the cookie: a copy of this table opens no one's session. */
    id: text('id').primaryKey(),
    userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/**
 * Failed logins, one row per attempt and key (`account:<email>` and `address:<ip>`): the
 * limiter counts them over a sliding window. In the database so the count survives a restart
 * and is shared by every process on the same database.
 */
export const loginFailures = sqliteTable(
  'login_failures',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    key: text('key').notNull(),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('login_failures_key_at_idx').on(t.key, t.at)],
);

/** One-time links to set a password (an account an administrator made): only the token's sha256 is kept. */
export const passwordTokens = sqliteTable(
  'password_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    usedAt: integer('used_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('password_tokens_user_idx').on(t.userId)],
);

/** One-time invitations an instructor issues: signing up through one makes an instructor. Token stored as sha256. */
export const invitations = sqliteTable('invitations', {
  tokenHash: text('token_hash').primaryKey(),
  role: text('role', { enum: userRoles }).notNull(),
  invitedBy: integer('invited_by').notNull().references(() => users.id, { onDelete: 'cascade' }),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
  usedAt: integer('used_at', { mode: 'timestamp_ms' }),
  usedBy: integer('used_by').references(() => users.id, { onDelete: 'set null' }),
});

export const banks = sqliteTable('banks', {
  id: text('id').primaryKey(),
  title: text('title').notNull(),
  /** Null for the banks of content/, which belong to no one. */
  ownerId: integer('owner_id').references(() => users.id),
  source: text('source', { enum: bankSources }).notNull(),
  status: text('status', { enum: bankStatuses }).notNull().default('draft'),
  version: integer('version').notNull().default(1),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
});

/** Every saved version of a bank, whole, as JSON: an edit never loses the previous text. */
export const bankVersions = sqliteTable(
  'bank_versions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    bankId: text('bank_id').notNull().references(() => banks.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    content: text('content').notNull(),
    savedBy: integer('saved_by').references(() => users.id),
    savedAt: integer('saved_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [uniqueIndex('bank_versions_bank_version_uq').on(t.bankId, t.version)],
);

export const items = sqliteTable(
  'items',
  {
    /** `${bankId}/${key}`: unique across banks, stable as long as the bank keeps the key. */
    id: text('id').primaryKey(),
    bankId: text('bank_id').notNull().references(() => banks.id, { onDelete: 'cascade' }),
    /** The item's own stable id inside its bank. */
    key: text('key').notNull(),
    /** 'basic' | 'cloze' | 'choice' | 'generated' (the bank format's `type`). */
    kind: text('kind').notNull(),
    topic: text('topic').notNull(),
    /** The question family of a generated item; its siblings share it. */
    family: text('family'),
    /** The bank's item, whole, as JSON: the bank format is owned by engine/bank. */
    content: text('content').notNull(),
    position: integer('position').notNull(),
    /** Set when a new version of the bank dropped the item; its cards and reviews stay. */
    retiredAt: integer('retired_at', { mode: 'timestamp_ms' }),
  },
  (t) => [uniqueIndex('items_bank_key_uq').on(t.bankId, t.key), index('items_bank_position_idx').on(t.bankId, t.position)],
);

export const classes = sqliteTable('classes', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  instructorId: integer('instructor_id').notNull().references(() => users.id),
  joinCode: text('join_code').notNull().unique(),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
});

export const memberships = sqliteTable(
  'memberships',
  {
    classId: integer('class_id').notNull().references(() => classes.id, { onDelete: 'cascade' }),
    userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    joinedAt: integer('joined_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.classId, t.userId] }), index('memberships_user_idx').on(t.userId)],
);

export const classBanks = sqliteTable(
  'class_banks',
  {
    classId: integer('class_id').notNull().references(() => classes.id, { onDelete: 'cascade' }),
    bankId: text('bank_id').notNull().references(() => banks.id, { onDelete: 'cascade' }),
    publishedAt: integer('published_at', { mode: 'timestamp_ms' }).notNull(),
    /** Study days 'YYYY-MM-DD' (each member's own calendar): new items start on startsOn and are all introduced by learnBy. */
    startsOn: text('starts_on'),
    learnBy: text('learn_by'),
  },
  (t) => [primaryKey({ columns: [t.classId, t.bankId] })],
);

/** One user's ts-fsrs state on one item. Columns mirror ts-fsrs's Card (State: 0 New … 3 Relearning). */
export const cards = sqliteTable(
  'cards',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    itemId: text('item_id').notNull().references(() => items.id),
    due: integer('due', { mode: 'timestamp_ms' }).notNull(),
    stability: real('stability').notNull(),
    difficulty: real('difficulty').notNull(),
    elapsedDays: integer('elapsed_days').notNull(),
    scheduledDays: integer('scheduled_days').notNull(),
    learningSteps: integer('learning_steps').notNull(),
    reps: integer('reps').notNull(),
    lapses: integer('lapses').notNull(),
    state: integer('state').notNull(),
    lastReview: integer('last_review', { mode: 'timestamp_ms' }),
    suspended: integer('suspended', { mode: 'boolean' }).notNull().default(false),
    leech: integer('leech', { mode: 'boolean' }).notNull().default(false),
    /** Left out of the queue until this instant (bury until tomorrow: the next study day's start). */
    buriedUntil: integer('buried_until', { mode: 'timestamp_ms' }),
    /** Put at the front of the queue, beyond the limits, until reviewed after this instant (quiz misses, "review now"). */
    promotedAt: integer('promoted_at', { mode: 'timestamp_ms' }),
    promotedBy: text('promoted_by', { enum: ['quiz', 'cards'] }),
    /** The quiz attempt whose misses promoted the card. */
    promotedQuiz: integer('promoted_quiz'),
    /** The exam whose plan brought this due forward (app/scheduling/exam-plan.ts); null: ts-fsrs's own due. */
    plannedForExam: integer('planned_for_exam'),
  },
  (t) => [uniqueIndex('cards_user_item_uq').on(t.userId, t.itemId), index('cards_user_state_due_idx').on(t.userId, t.state, t.due)],
);

export const reviews = sqliteTable(
  'reviews',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    /** Chosen by the client before sending: a retried submission carries the same id. */
    clientReviewId: text('client_review_id').notNull(),
    itemId: text('item_id').notNull().references(() => items.id),
    cardId: integer('card_id').notNull().references(() => cards.id),
    /** The variant seed of a generated item (null for facts): the question can be rebuilt. */
    variantSeed: integer('variant_seed'),
    rawAnswer: text('raw_answer').notNull(),
    /** The value as the grader read it, JSON (null when it could not be read). */
    readAs: text('read_as'),
    correct: integer('correct', { mode: 'boolean' }).notNull(),
    misconception: text('misconception'),
    /** ts-fsrs Rating 1 Again … 4 Easy: the one applied, and the one the app suggested. */
    rating: integer('rating').notNull(),
    suggestedRating: integer('suggested_rating').notNull(),
    durationMs: integer('duration_ms').notNull(),
    hinted: integer('hinted', { mode: 'boolean' }).notNull().default(false),
    /** The card before and after, JSON (see app/scheduling/card-state.ts); undo restores `stateBefore`. */
    stateBefore: text('state_before').notNull(),
    stateAfter: text('state_after').notNull(),
    reviewedAt: integer('reviewed_at', { mode: 'timestamp_ms' }).notNull(),
    origin: text('origin', { enum: reviewOrigins }).notNull().default('queue'),
    /** The card's retrievability just before this review, under the parameters then in use (null for a new card): the calibration plot's prediction. */
    predictedRecall: real('predicted_recall'),
    /** The variant's parameter regions, JSON {feature: region} (engine/regions; null for facts): kept so history can be regrouped. */
    regions: text('regions'),
  },
  (t) => [
    uniqueIndex('reviews_user_client_id_uq').on(t.userId, t.clientReviewId),
    index('reviews_user_reviewed_at_idx').on(t.userId, t.reviewedAt),
    index('reviews_card_idx').on(t.cardId),
  ],
);

export const quizAttempts = sqliteTable(
  'quiz_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    /** The quiz as built: topics, count, time limit… (JSON). */
    config: text('config').notNull(),
    /** The item and variant seed of each position (JSON), fixed when the attempt starts. */
    seeds: text('seeds').notNull(),
    startedAt: integer('started_at', { mode: 'timestamp_ms' }).notNull(),
    deadlineAt: integer('deadline_at', { mode: 'timestamp_ms' }),
    submittedAt: integer('submitted_at', { mode: 'timestamp_ms' }),
    /** The instructor's quiz this attempt is of; null for a quiz the student built. */
    assignmentId: integer('assignment_id').references(() => quizAssignments.id),
  },
  (t) => [index('quiz_attempts_user_idx').on(t.userId, t.startedAt), index('quiz_attempts_assignment_idx').on(t.assignmentId, t.userId)],
);

export const quizAnswers = sqliteTable(
  'quiz_answers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    attemptId: integer('attempt_id').notNull().references(() => quizAttempts.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    itemId: text('item_id').notNull().references(() => items.id),
    seed: integer('seed'),
    rawAnswer: text('raw_answer').notNull(),
    readAs: text('read_as'),
    correct: integer('correct', { mode: 'boolean' }).notNull(),
    flagged: integer('flagged', { mode: 'boolean' }).notNull().default(false),
    timeMs: integer('time_ms').notNull(),
    /** After an instructor's regrade (quiz_regrades): the answer's correctness now, and whether it is left out of the score. */
    regradedCorrect: integer('regraded_correct', { mode: 'boolean' }),
    dropped: integer('dropped', { mode: 'boolean' }).notNull().default(false),
    /** As reviews.regions: the answered variant's parameter regions, JSON (null for facts). */
    regions: text('regions'),
  },
  (t) => [uniqueIndex('quiz_answers_attempt_position_uq').on(t.attemptId, t.position)],
);

/**
 * Secrets every Stride process on this database must share (the session cookie's signing key
 * when SESSION_SECRET is unset): in the database, so a second process signs the same cookies.
 */
export const appSecrets = sqliteTable('app_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
});

/** A student's subscriptions: one row per bank they turned off or paused (or back on). */
export const subscriptions = sqliteTable(
  'subscriptions',
  {
    userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    bankId: text('bank_id').notNull().references(() => banks.id, { onDelete: 'cascade' }),
    state: text('state', { enum: subscriptionStates }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.bankId] })],
);

/**
 * Every suspend, bury, forget and "review now" on a card, with the card's columns before it:
 * undo restores them. A bulk action is one batch, undone together.
 */
export const cardActions = sqliteTable(
  'card_actions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    cardId: integer('card_id').notNull().references(() => cards.id, { onDelete: 'cascade' }),
    batch: text('batch').notNull(),
    action: text('action', { enum: cardActionKinds }).notNull(),
    /** The card's columns before the action, JSON. */
    before: text('before').notNull(),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('card_actions_user_at_idx').on(t.userId, t.at)],
);

/**
 * Every FSRS optimizer run, for one student (userId) or one class's pooled history (classId):
 * when, on how many reviews, the fitted set, and the held-out metrics of the fitted set, of the
 * set it would replace (baseline) and of the defaults, whether it was kept and why. The queue
 * of runs too: the optimizer worker claims `queued` rows, so a run survives a restart.
 */
export const optimizerRuns = sqliteTable(
  'optimizer_runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id').references(() => users.id, { onDelete: 'cascade' }),
    classId: integer('class_id').references(() => classes.id, { onDelete: 'cascade' }),
    trigger: text('trigger', { enum: optimizerTriggers }).notNull(),
    status: text('status', { enum: optimizerRunStatuses }).notNull().default('queued'),
    requestedAt: integer('requested_at', { mode: 'timestamp_ms' }).notNull(),
    startedAt: integer('started_at', { mode: 'timestamp_ms' }),
    finishedAt: integer('finished_at', { mode: 'timestamp_ms' }),
    /** The fit's progress as the binding reports it (done of total). */
    progressDone: integer('progress_done').notNull().default(0),
    progressTotal: integer('progress_total').notNull().default(0),
    /** Reviews in the history read, and the FSRS items it made for training and for the held-out test. */
    reviewsUsed: integer('reviews_used'),
    trainItems: integer('train_items'),
    testItems: integer('test_items'),
    /** Members whose history was pooled (class runs). */
    membersUsed: integer('members_used'),
    /** The fitted set, JSON; null when the run was refused or failed. */
    parameters: text('parameters'),
    /** The set the fitted one was compared with, JSON (null: the defaults), and its run. */
    baselineParameters: text('baseline_parameters'),
    baselineRunId: integer('baseline_run_id'),
    logLoss: real('log_loss'),
    rmseBins: real('rmse_bins'),
    baselineLogLoss: real('baseline_log_loss'),
    baselineRmseBins: real('baseline_rmse_bins'),
    defaultLogLoss: real('default_log_loss'),
    defaultRmseBins: real('default_rmse_bins'),
    kept: integer('kept', { mode: 'boolean' }).notNull().default(false),
    /** Why it was kept or not, refused or failed, in words. */
    reason: text('reason'),
  },
  (t) => [
    index('optimizer_runs_user_idx').on(t.userId, t.requestedAt),
    index('optimizer_runs_class_idx').on(t.classId, t.requestedAt),
    index('optimizer_runs_status_idx').on(t.status),
  ],
);

/**
 * An exam: a date and time (an instant, shown in its time zone), what it covers and the recall
 * wanted on it. A student's own (classId null) or a class's, which every member has. The
 * scheduler plans in-scope cards for it while it is ahead (app/scheduling/exam-plan.ts).
 */
export const exams = sqliteTable(
  'exams',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Who made it: the student, or the class's instructor. */
    ownerId: integer('owner_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    classId: integer('class_id').references(() => classes.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
    /** The IANA zone the exam was set in: its date and time are shown there. */
    timeZone: text('time_zone').notNull(),
    /** The recall wanted on the exam, 0.70–0.99. */
    target: real('target').notNull().default(0.9),
    /** Banks, topics and families, JSON (app/exams/scope.ts). */
    scope: text('scope').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('exams_owner_idx').on(t.ownerId, t.at), index('exams_class_idx').on(t.classId, t.at)],
);

/**
 * A quiz an instructor sets for a class: what it draws from, how many questions, the time limit,
 * when it can be taken, how many attempts, and its mode. Each student's attempt draws its own
 * items and variant seeds (quiz_attempts.assignmentId).
 */
export const quizAssignments = sqliteTable(
  'quiz_assignments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    classId: integer('class_id').notNull().references(() => classes.id, { onDelete: 'cascade' }),
    createdBy: integer('created_by').notNull().references(() => users.id),
    title: text('title').notNull(),
    /** Banks, topics and families, JSON (app/exams/scope.ts). */
    scope: text('scope').notNull(),
    questionCount: integer('question_count').notNull(),
    /** Minutes (fractions allowed, as the builder's); null: untimed. */
    timeLimitMinutes: real('time_limit_minutes'),
    opensAt: integer('opens_at', { mode: 'timestamp_ms' }).notNull(),
    closesAt: integer('closes_at', { mode: 'timestamp_ms' }).notNull(),
    attemptsAllowed: integer('attempts_allowed').notNull().default(1),
    mode: text('mode', { enum: quizModes }).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('quiz_assignments_class_idx').on(t.classId, t.opensAt)],
);

/** One student's accommodations on one assigned quiz: extra time, a later window, more attempts. */
export const quizAccommodations = sqliteTable(
  'quiz_accommodations',
  {
    assignmentId: integer('assignment_id').notNull().references(() => quizAssignments.id, { onDelete: 'cascade' }),
    userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    /** Extra time as a percentage of the limit (50: half as long again); 0: none. */
    extraTimePercent: integer('extra_time_percent').notNull().default(0),
    /** This student's own window, replacing the quiz's when set. */
    opensAt: integer('opens_at', { mode: 'timestamp_ms' }),
    closesAt: integer('closes_at', { mode: 'timestamp_ms' }),
    extraAttempts: integer('extra_attempts').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.assignmentId, t.userId] })],
);

/** Every regrade of a question of an assigned quiz, kept: who, when, what and why. */
export const quizRegrades = sqliteTable(
  'quiz_regrades',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    assignmentId: integer('assignment_id').notNull().references(() => quizAssignments.id, { onDelete: 'cascade' }),
    itemId: text('item_id').notNull().references(() => items.id),
    action: text('action', { enum: regradeActions }).notNull(),
    reason: text('reason').notNull(),
    /** Answers whose score the regrade changed. */
    changed: integer('changed').notNull(),
    by: integer('by').notNull().references(() => users.id),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('quiz_regrades_assignment_idx').on(t.assignmentId, t.at)],
);

/**
 * Each time a variant of a generated item was checked: by the engine's analysis against the
 * closed-form answer, and by a real tfjs model when one was built. Where the check ran
 * (`variantCheckSources`): an instructor's preview, `bank check`, or a student's engine panel.
 * A disagreement keeps its detail, and the seed reproduces it.
 */
export const variantChecks = sqliteTable(
  'variant_checks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    itemId: text('item_id').notNull().references(() => items.id, { onDelete: 'cascade' }),
    seed: integer('seed').notNull(),
    source: text('source', { enum: variantCheckSources }).notNull(),
    /** The engine's analysis agrees with the closed-form answer. */
    engineOk: integer('engine_ok', { mode: 'boolean' }).notNull(),
    /** The tfjs model agrees with the engine (null: no model was built for this check). */
    tfjsOk: integer('tfjs_ok', { mode: 'boolean' }),
    /** What disagreed, in words (null when all agreed). */
    detail: text('detail'),
    /** Who ran it (null for the command line). */
    userId: integer('user_id').references(() => users.id, { onDelete: 'set null' }),
    checkedAt: integer('checked_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('variant_checks_item_idx').on(t.itemId, t.seed)],
);
