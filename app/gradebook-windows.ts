/** The review-activity export's windows (days), shared by the class page and the server model. */
export const ACTIVITY_WINDOWS_DAYS = [7, 28, 90, 365] as const;
/** The dashboard's four weeks. */
export const DEFAULT_ACTIVITY_WINDOW = 28;
