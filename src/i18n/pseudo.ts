// The pseudo-language's text: every Latin letter accented, and about a third longer (French and
// German run 20–35 % longer than English), so untranslated text and tight layouts both show.
const ACCENTED: Record<string, string> = {
  a: 'á', b: 'ƀ', c: 'ç', d: 'δ', e: 'è', f: 'ƒ', g: 'ĝ', h: 'ĥ', i: 'î', j: 'ĵ', k: 'ķ', l: 'ļ', m: 'ɱ',
  n: 'ñ', o: 'ô', p: 'þ', q: 'ǫ', r: 'ŕ', s: 'š', t: 'ţ', u: 'û', v: 'ṽ', w: 'ŵ', x: 'ẋ', y: 'ý', z: 'ž',
  A: 'Á', B: 'Ɓ', C: 'Ç', D: 'Ð', E: 'É', F: 'Ƒ', G: 'Ĝ', H: 'Ĥ', I: 'Î', J: 'Ĵ', K: 'Ķ', L: 'Ļ', M: 'Ṁ',
  N: 'Ñ', O: 'Ö', P: 'Þ', Q: 'Ǫ', R: 'Ŕ', S: 'Š', T: 'Ţ', U: 'Û', V: 'Ṽ', W: 'Ŵ', X: 'Ẋ', Y: 'Ý', Z: 'Ž',
};

export function pseudoText(text: string): string {
  let letters = 0;
  const accented = text.replace(/[a-z]/gi, (letter) => {
    letters++;
    return ACCENTED[letter] ?? letter;
  });
  // Lengthen inside the text's own spacing so a leading or trailing space stays where it was.
  const padding = '·'.repeat(Math.ceil(letters / 3));
  const body = accented.trimEnd();
  return padding ? `${body}${padding}${accented.slice(body.length)}` : accented;
}
