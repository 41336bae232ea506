/**
 * What an exam (or an assigned quiz) covers: banks, topics and question families. An item is in
 * scope when its bank is one of `banks` (any bank the student studies when the list is empty) and,
 * when topics or families are listed, its topic or its family is one of them. An empty scope
 * (no bank, no topic, no family) is refused where a scope is made (app/models/exam.server.ts).
 */
export interface ExamScope {
  banks: string[];
  topics: string[];
  families: string[];
}

/** The columns of an items row scope matching reads. */
export interface ScopedItem {
  bankId: string;
  topic: string;
  /** A generated item's family; null for a fact. */
  family: string | null;
}

export function inScope(item: ScopedItem, scope: ExamScope): boolean {
  if (scope.banks.length > 0 && !scope.banks.includes(item.bankId)) return false;
  if (scope.topics.length === 0 && scope.families.length === 0) return true;
  return scope.topics.includes(item.topic) || (item.family !== null && scope.families.includes(item.family));
}

export function isEmptyScope(scope: ExamScope): boolean {
  return scope.banks.length === 0 && scope.topics.length === 0 && scope.families.length === 0;
}

/** Parses a stored scope (exams.scope, assigned_quizzes.scope); throws saying what is wrong. */
export function parseScope(json: string): ExamScope {
  const v = JSON.parse(json) as Partial<Record<keyof ExamScope, unknown>>;
  const list = (k: keyof ExamScope): string[] => {
    const x = v[k] ?? [];
    if (!Array.isArray(x) || !x.every((s) => typeof s === 'string')) throw new Error(`stored exam scope: ${k} is not a list of strings in ${json.slice(0, 200)}`);
    return x as string[];
  };
  return { banks: list('banks'), topics: list('topics'), families: list('families') };
}
