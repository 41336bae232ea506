/** Samples drawn per generated item in the preview and before publishing (shared by the editor and the server). */
export const DEFAULT_SAMPLES = 5;
/** More would make one preview request slow for everyone on the server. */
export const MAX_SAMPLES = 20;
