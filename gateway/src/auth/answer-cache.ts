/**
 * Remembers the answer to a question (a promise) for `ttlMs`, by key,
 * bounded to `maxEntries`; a failed answer is forgotten at once, so the next
 * request asks again. What an answer means stays with the caller.
 */
export function createAnswerCache<T>(options: { ttlMs: number; maxEntries: number; now: () => number }): (key: string, ask: () => Promise<T>) => Promise<T> {
  const answers = new Map<string, { until: number; answer: Promise<T> }>();
  return (key, ask) => {
    const known = answers.get(key);
    if (known && known.until > options.now()) return known.answer;
    const answer = ask();
    answer.catch(() => {
      if (answers.get(key)?.answer === answer) answers.delete(key);
    });
    if (answers.size >= options.maxEntries) answers.clear();
    answers.set(key, { until: options.now() + options.ttlMs, answer });
    return answer;
  };
}
