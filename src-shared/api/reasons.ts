/**
 * A reason shown to a clerk (why a record was rejected, why a call is unrated, what is wrong in an import row): an i18n
 * key of the renderer's `engine` namespace with its parameters, and the English sentence kept for support. The same
 * shape as the engine's `Problem` (src-shared/api/messages.ts).
 */
export interface ReasonProblem {
  key: string;
  params?: Record<string, string | number>;
  text: string;
}
