// The refusals of domain rules (accounts, patients, notes…) are decided where no language is known:
// each carries its Message for the page to word in the reader's language, and its English text as
// `message` for the command line and the logs, built once here.
import { translator, type Message, type Translate } from './translate.js';

export class LocalizedError<Problem extends Message | null = Message> extends Error {
  /**
   * How the problems of a class are worded; a class that adds words of its own (the choices of a
   * form, a nested reason) replaces it. Static, so that the English `message` can use it before `super`.
   */
  static describe(problem: Message, t: Translate): string {
    return t(problem.key, problem.values);
  }

  /** Null when the refusal was a plain string: English not yet in a catalog (the command line's own). */
  readonly problem: Problem;

  constructor(problem: Problem extends null ? Message | string : Message) {
    super(typeof problem === 'string' ? problem : new.target.describe(problem, translator('en')));
    this.problem = (typeof problem === 'string' ? null : problem) as Problem;
  }

  /** The problem in the language of `reader` (a request: web/language.ts); the English message when it has none. */
  text(reader: { t: Translate }): string {
    if (!this.problem) return this.message;
    return (this.constructor as typeof LocalizedError).describe(this.problem, (key, values) => reader.t(key, values));
  }
}
