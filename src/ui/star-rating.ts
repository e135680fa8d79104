import { css, html, LitElement } from 'lit';

/**
 * `<cinesage-star-rating>`: rate a movie 1–5 stars, or 0.5–5 in half stars. A radio group (arrow keys move
 * and choose one step, Home/End jump, Delete removes) with accessible names such as "4 stars for Star Wars
 * (1977)" or "3.5 stars for …", plus a button that removes the rating.
 *
 * @fires {CustomEvent<{ stars: number | null }>} cinesage-rate - When the visitor chooses a rating (click,
 * arrow keys, Home/End) or removes it (remove button, Delete/Backspace; `stars` is then null). Bubbles, composed.
 * @csspart star - Each star button (a `role="radio"`; two per star, its halves, with `step` 0.5).
 * @csspart remove - The button that removes the rating (only while there is one).
 * @cssprop --cinesage-star-color - Filled star colour (default `#b8740a`).
 * @cssprop --cinesage-star-empty - Empty star colour (default `#8d8a99`).
 * @cssprop --cinesage-muted - Colour of the remove button (default `#5d5a6b`).
 * @cssprop --cinesage-focus - Focus ring colour (default `#4b3fd1`).
 */
export class StarRating extends LitElement {
  static override properties = {
    value: { type: Number, reflect: true },
    step: { type: Number },
    label: { type: String },
    hover: { state: true, attribute: false },
  };
  static override styles = css`
    :host {
      display: inline-flex;
      align-items: center;
      gap: 0.1rem;
      white-space: nowrap;
    }
    [role='radiogroup'] {
      display: inline-flex;
    }
    button {
      font: inherit;
      background: none;
      border: 0;
      padding: 0.1rem;
      cursor: pointer;
      line-height: 1;
      min-width: 1.6rem;
      min-height: 1.6rem;
      color: var(--cinesage-star-empty, #8d8a99);
      font-size: 1.15rem;
      border-radius: 0.25rem;
    }
    button.half {
      min-width: 0.8rem;
      padding-left: 0;
      padding-right: 0;
      overflow: hidden;
    }
    .glyph {
      display: inline-block;
      width: 0.5em;
      overflow: hidden;
      vertical-align: bottom;
    }
    .glyph span {
      display: inline-block;
      width: 1em;
      text-align: center;
    }
    button.left {
      text-align: right;
    }
    button.right {
      text-align: left;
    }
    button.right .glyph span {
      margin-left: -0.5em;
    }
    button.on {
      color: var(--cinesage-star-color, #b8740a);
    }
    button:focus-visible {
      outline: 2px solid var(--cinesage-focus, #4b3fd1);
      outline-offset: 1px;
    }
    .remove {
      font-size: 0.85rem;
      color: var(--cinesage-muted, #5d5a6b);
    }
  `;

  /** The current rating in stars, 0 for none. */
  declare value: number;
  /** 1 for whole stars, 0.5 for half stars (each star is then two radios, its halves). */
  declare step: number;
  /** What is being rated (a movie title), used in the accessible names. */
  declare label: string;
  /** The star under the pointer, previewed as filled; 0 for none. */
  declare protected hover: number;

  constructor() {
    super();
    this.value = 0;
    this.step = 1;
    this.label = '';
    this.hover = 0;
  }

  #choose(stars: number | null) {
    this.value = stars ?? 0;
    this.dispatchEvent(new CustomEvent('cinesage-rate', { detail: { stars }, bubbles: true, composed: true }));
  }

  /** The choosable values, lowest first: 1–5, or 0.5–5 in half stars. */
  #values(): number[] {
    const step = this.step === 0.5 ? 0.5 : 1;
    return Array.from({ length: 5 / step }, (_, i) => (i + 1) * step);
  }

  #onKey(e: KeyboardEvent) {
    const current = this.value || 0;
    const step = this.step === 0.5 ? 0.5 : 1;
    let next: number | null = null;
    if (e.key === 'ArrowRight' || e.key === 'ArrowUp') next = Math.min(5, current + step);
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowDown') next = Math.max(step, current - step);
    else if (e.key === 'Home') next = step;
    else if (e.key === 'End') next = 5;
    else if ((e.key === 'Delete' || e.key === 'Backspace') && current > 0) {
      e.preventDefault();
      this.#choose(null);
      return;
    }
    if (next === null) return;
    e.preventDefault();
    this.#choose(next);
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLButtonElement>(`[data-stars="${next}"]`)?.focus(),
    );
  }

  override render() {
    const shown = this.hover || this.value;
    const values = this.#values();
    const focusable = values.includes(this.value) ? this.value : values[0];
    const half = values.length > 5;
    return html`<span
        role="radiogroup"
        aria-label=${`Your rating for ${this.label}`}
        @keydown=${this.#onKey}
        @mouseleave=${() => {
          this.hover = 0;
        }}
      >
        ${values.map((n) => {
          const glyph = n <= shown ? '★' : '☆';
          return html`<button
            part="star"
            role="radio"
            data-stars=${n}
            class=${[n <= shown ? 'on' : '', half ? `half ${n % 1 === 0 ? 'right' : 'left'}` : ''].join(' ').trim()}
            aria-checked=${this.value === n ? 'true' : 'false'}
            aria-label=${`${n} star${n === 1 ? '' : 's'} for ${this.label}`}
            tabindex=${n === focusable ? 0 : -1}
            @mouseenter=${() => {
              this.hover = n;
            }}
            @click=${() => this.#choose(n)}
          >
            ${half ? html`<span class="glyph"><span>${glyph}</span></span>` : glyph}
          </button>`;
        })}
      </span>
      ${
        this.value > 0
          ? html`<button part="remove" class="remove" aria-label=${`Remove your rating for ${this.label}`} @click=${() => this.#choose(null)}>
            ✕
          </button>`
          : null
      }`;
  }
}

/**
 * An `@cinesage-rate` listener for a star rating inside a list: stops the star's own event and re-fires
 * it from `host` as `cinesage-rate` with the movie id, crossing shadow roots.
 */
export function forwardRating(host: HTMLElement, movieId: number) {
  return (e: CustomEvent<{ stars: number | null }>) => {
    e.stopPropagation();
    host.dispatchEvent(
      new CustomEvent('cinesage-rate', { detail: { movieId, stars: e.detail.stars }, bubbles: true, composed: true }),
    );
  };
}

if (!customElements.get('cinesage-star-rating')) customElements.define('cinesage-star-rating', StarRating);

declare global {
  interface HTMLElementTagNameMap {
    'cinesage-star-rating': StarRating;
  }
}
