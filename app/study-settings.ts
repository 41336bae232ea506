/** The study settings' bounds and field names, shared by the settings model's schema and the page's constraints (no server code here: the browser imports it). */

/**
 * The bounds, and why: new cards up to 9,999 and reviews up to 99,999 a day (Anki's own caps:
 * beyond them is a typo); reviews at least as many as new cards (each new card brings reviews of
 * its own, so a smaller review limit only grows a backlog); retention 0.70–0.97 (below, FSRS
 * lets most cards be forgotten; above, the reviews a day grow steeply for little gain); the
 * longest interval 1–36,500 days (100 years, ts-fsrs's default).
 */
export const SETTINGS_BOUNDS = {
  newPerDay: { min: 0, max: 9999 },
  reviewsPerDay: { min: 0, max: 99999 },
  desiredRetention: { min: 0.7, max: 0.97 },
  rolloverHour: { min: 0, max: 23 },
  maxIntervalDays: { min: 1, max: 36500 },
} as const;

/** The fields, named as the form names them, with the words the page and its errors use. */
export const SETTINGS_FIELDS = {
  newPerDay: 'New cards per day',
  reviewsPerDay: 'Maximum reviews per day',
  desiredRetention: 'Desired retention',
  learningSteps: 'Learning steps',
  relearningSteps: 'Relearning steps',
  rolloverHour: 'The day starts at (hour)',
  timeZone: 'Time zone',
  maxIntervalDays: 'Maximum interval (days)',
} as const;

/** The form's raw values (what the student typed), sent back with errors so nothing typed is lost. */
export type StudySettingsForm = Record<keyof typeof SETTINGS_FIELDS, string>;
