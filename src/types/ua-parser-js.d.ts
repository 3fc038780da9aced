// ua-parser-js 1.x (MIT) ships no typings; only what HMS uses. (2.x has them but is AGPL.)
declare module 'ua-parser-js' {
  interface NameVersion {
    name?: string;
    version?: string;
  }
  export interface UAParserResult {
    browser: NameVersion & { major?: string };
    os: NameVersion;
    device: { type?: string; vendor?: string; model?: string };
  }
  export class UAParser {
    constructor(userAgent?: string);
    getResult(): UAParserResult;
  }
}
