/**
 * Title search that forgives case, accents and punctuation ("amelie" finds "Amélie", "star wars" finds
 * "Star Wars (1977)", "godfather" finds "Godfather, The"). Folded titles are built once; a query scans
 * them (1.7k–60k titles take well under a millisecond to a few ms) and ranks whole-word prefix matches
 * first, then other substring matches, then popularity. Pure: no DOM or Node imports.
 */

/** Lower-case, strip accents and anything that is not a letter or digit, collapse spaces. */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** MovieLens stores "Godfather, The (1972)": move the trailing article to the front for searching. */
function unInvertArticle(title: string): string {
  const m = /^(.*), (The|A|An|Les|La|Le|L'|Il|Das|Der|Die|El|Los|Las)( \(.*)?$/i.exec(title);
  return m ? `${m[2]} ${m[1]}${m[3] ?? ''}` : title;
}

export class TitleIndex {
  readonly #folded: string[];
  readonly #popularity: ArrayLike<number>;

  /** `titles[i]` and `popularity[i]` describe movie index i. */
  constructor(titles: readonly string[], popularity: ArrayLike<number>) {
    this.#folded = titles.map((t) => ` ${foldText(unInvertArticle(t))} ${foldText(t)} `);
    this.#popularity = popularity;
  }

  /** Movie indices matching every word of `query`, best first, at most `limit`. */
  search(query: string, limit = 20): number[] {
    const words = foldText(query).split(' ').filter(Boolean);
    if (words.length === 0) return [];
    const hits: { index: number; rank: number }[] = [];
    for (let i = 0; i < this.#folded.length; i++) {
      const title = this.#folded[i];
      let rank = 0;
      let ok = true;
      for (const w of words) {
        const at = title.indexOf(w);
        if (at < 0) {
          ok = false;
          break;
        }
        // A word that starts a title word ranks above one found inside a word.
        rank += title.includes(` ${w}`) ? 2 : 1;
        if (at === 1) rank += 1;
      }
      if (ok) hits.push({ index: i, rank });
    }
    hits.sort((a, b) => b.rank - a.rank || this.#popularity[b.index] - this.#popularity[a.index] || a.index - b.index);
    return hits.slice(0, limit).map((h) => h.index);
  }
}
