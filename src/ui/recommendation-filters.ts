import { css, html, LitElement } from 'lit';
import { baseStyles } from './shared-styles.ts';

export interface RecommendationFilterValues {
  genres: string[];
  years: [number, number] | null;
  minPopularity: number;
  /** Also hide movies you rated low when they would otherwise be shown again. */
  excludeLowRated: boolean;
}

/**
 * `<cinesage-recommendation-filters>`: genre, release years, popularity floor and "hide low-rated" for the
 * recommendations. Filters are applied before scoring in the worker.
 *
 * @fires {CustomEvent<RecommendationFilterValues>} cinesage-filters-change - After every change, with all the
 * filters: `{ genres: string[], years: [number, number] | null, minPopularity: number, excludeLowRated:
 * boolean }` (`years` is null while it spans the whole `yearRange`). Bubbles, composed.
 * @csspart form - The filter form.
 * @cssprop --cinesage-font - Font family (default `system-ui, …`).
 * @cssprop --cinesage-font-size - Base font size (default `1rem`).
 * @cssprop --cinesage-text - Text colour (default `#1c1b22`).
 * @cssprop --cinesage-border-strong - Border of the fields (default `#b9b5c7`).
 * @cssprop --cinesage-surface - Background of the fields (default `#fff`).
 * @cssprop --cinesage-focus - Focus ring colour (default `#4b3fd1`).
 */
export class RecommendationFilters extends LitElement {
  static override properties = {
    genres: { attribute: false },
    yearRange: { attribute: false },
    value: { state: true, attribute: false },
  };
  static override styles = [
    baseStyles,
    css`
      form {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1rem;
        align-items: end;
        margin-bottom: 0.5rem;
      }
      label {
        display: flex;
        flex-direction: column;
        font-size: 0.85em;
        gap: 0.15rem;
      }
      label.inline {
        flex-direction: row;
        align-items: center;
        gap: 0.35rem;
      }
      input[type='number'] {
        width: 5.5rem;
      }
    `,
  ];

  /** Genre names to offer. */
  declare genres: string[];
  /** First and last release year in the catalog (null: 1900–2100). */
  declare yearRange: [number, number] | null;
  /** The filters as chosen so far. */
  declare protected value: RecommendationFilterValues;

  constructor() {
    super();
    this.genres = [];
    this.yearRange = null;
    this.value = { genres: [], years: null, minPopularity: 0, excludeLowRated: true };
  }

  #emit(patch: Partial<RecommendationFilterValues>) {
    this.value = { ...this.value, ...patch };
    this.dispatchEvent(
      new CustomEvent('cinesage-filters-change', { detail: this.value, bubbles: true, composed: true }),
    );
  }

  #year(which: 0 | 1, e: Event) {
    const range = this.yearRange ?? [1900, 2100];
    const current = this.value.years ?? range;
    const raw = Number((e.target as HTMLInputElement).value);
    const next: [number, number] = [...current];
    next[which] = Number.isFinite(raw) && raw > 0 ? raw : range[which];
    this.#emit({ years: next[0] === range[0] && next[1] === range[1] ? null : next });
  }

  override render() {
    const range = this.yearRange ?? [1900, 2100];
    const years = this.value.years ?? range;
    return html`<form part="form" @submit=${(e: Event) => e.preventDefault()} aria-label="Filter recommendations">
      <label
        >Genre
        <select
          @change=${(e: Event) => {
            const g = (e.target as HTMLSelectElement).value;
            this.#emit({ genres: g ? [g] : [] });
          }}
        >
          <option value="">Any genre</option>
          ${this.genres.map((g) => html`<option value=${g}>${g}</option>`)}
        </select>
      </label>
      <label
        >From year
        <input type="number" min=${range[0]} max=${range[1]} .value=${String(years[0])} @change=${(e: Event) => this.#year(0, e)}
      /></label>
      <label
        >To year
        <input type="number" min=${range[0]} max=${range[1]} .value=${String(years[1])} @change=${(e: Event) => this.#year(1, e)}
      /></label>
      <label
        >At least … ratings
        <input
          type="number"
          min="0"
          .value=${String(this.value.minPopularity)}
          @change=${(e: Event) => this.#emit({ minPopularity: Math.max(0, Number((e.target as HTMLInputElement).value) || 0) })}
      /></label>
      <label class="inline"
        ><input
          type="checkbox"
          .checked=${this.value.excludeLowRated}
          @change=${(e: Event) => this.#emit({ excludeLowRated: (e.target as HTMLInputElement).checked })}
        />
        Hide movies I rated low</label
      >
    </form>`;
  }
}

if (!customElements.get('cinesage-recommendation-filters')) {
  customElements.define('cinesage-recommendation-filters', RecommendationFilters);
}

declare global {
  interface HTMLElementTagNameMap {
    'cinesage-recommendation-filters': RecommendationFilters;
  }
}
