import { css, html, LitElement } from 'lit';
import type { RatedMovie } from '../core/api.ts';
import { baseStyles } from './shared-styles.ts';
import { forwardRating } from './star-rating.ts';

/**
 * `<cinesage-profile-panel>`: the visitor's ratings (changeable and removable), export to JSON, import
 * from JSON (validated in the worker; a bad file is refused with a message and the current profile stays),
 * reset, and "browse as a MovieLens user". The panel asks, the owner acts: it exports, imports or resets on
 * the panel's events, says how that went through `message`, and sets `rated` anew after an import or reset.
 *
 * @fires {CustomEvent<undefined>} cinesage-export - When the visitor asks to export their ratings; no detail.
 * Bubbles, composed.
 * @fires {CustomEvent<{ file: File }>} cinesage-import - When the visitor chose a ratings file to import
 * (`file`, not yet read). Bubbles, composed.
 * @fires {CustomEvent<undefined>} cinesage-reset - When the visitor confirmed that all their ratings should be
 * removed; no detail. Bubbles, composed.
 * @fires {CustomEvent<{ movieId: number; stars: number | null }>} cinesage-rate - When a rating in the list
 * is changed or removed (`stars` null). Bubbles, composed.
 * @fires {CustomEvent<{ userId: number | null }>} cinesage-view-as - When another profile is chosen under
 * "Browse as" (`userId` null: the visitor's own). Bubbles, composed.
 * @csspart ratings - The list of rated movies.
 * @cssprop --cinesage-font - Font family (default `system-ui, …`).
 * @cssprop --cinesage-font-size - Base font size (default `1rem`).
 * @cssprop --cinesage-text - Text colour (default `#1c1b22`).
 * @cssprop --cinesage-muted - Secondary text (default `#5d5a6b`).
 * @cssprop --cinesage-border - Line between rated movies (default `#e3e1ea`).
 * @cssprop --cinesage-border-strong - Border of the "Browse as" menu (default `#b9b5c7`).
 * @cssprop --cinesage-surface - Background of the buttons and the menu (default `#fff`).
 * @cssprop --cinesage-accent - Button text and border (default `#4b3fd1`).
 * @cssprop --cinesage-accent-soft - Button hover and message background (default `#efedfc`).
 * @cssprop --cinesage-focus - Focus ring colour (default `#4b3fd1`).
 * @cssprop --cinesage-star-color - Filled stars (default `#b8740a`).
 * @cssprop --cinesage-star-empty - Empty stars (default `#8d8a99`).
 */
export class ProfilePanel extends LitElement {
  static override properties = {
    rated: { attribute: false },
    ratingStep: { attribute: false },
    users: { attribute: false },
    viewAs: { attribute: false },
    message: { attribute: false },
  };
  static override styles = [
    baseStyles,
    css`
      .tools {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
        margin: 0.5rem 0;
      }
      .message {
        padding: 0.4rem 0.6rem;
        border-radius: 0.35rem;
        background: var(--cinesage-accent-soft, #efedfc);
      }
      .message.error {
        background: #fde8e6;
        color: #8a1c13;
      }
    `,
  ];

  /** The visitor's rated movies, as listed. */
  declare rated: RatedMovie[];
  /** 1 for whole stars, 0.5 where the data set has half stars. */
  declare ratingStep: number;
  /** Data set user ids offered under "Browse as". */
  declare users: number[];
  /** The data set user being browsed as, or null for the visitor. */
  declare viewAs: number | null;
  /** The outcome of the last export, import or reset, set by the owner (`error`: shown as an alert); null: none. */
  declare message: { text: string; error: boolean } | null;

  constructor() {
    super();
    this.rated = [];
    this.ratingStep = 1;
    this.users = [];
    this.viewAs = null;
    this.message = null;
  }

  #export() {
    this.dispatchEvent(new CustomEvent('cinesage-export', { bubbles: true, composed: true }));
  }

  #import(e: Event) {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    // Cleared, so that choosing the same file again is a change too.
    input.value = '';
    if (file)
      this.dispatchEvent(new CustomEvent('cinesage-import', { detail: { file }, bubbles: true, composed: true }));
  }

  #reset() {
    if (!confirm('Remove all your ratings from this device?')) return;
    this.dispatchEvent(new CustomEvent('cinesage-reset', { bubbles: true, composed: true }));
  }

  override render() {
    return html`<h2>Your ratings (${this.rated.length})</h2>
      ${this.rated.length === 0 ? html`<p class="muted">You have not rated anything yet.</p>` : null}
      <ul class="movies" part="ratings" aria-label="Your ratings">
        ${this.rated.map(
          (m) => html`<li data-movie-id=${m.movieId}>
            <span class="title">${m.title}</span>
            <cinesage-star-rating
              .value=${m.stars}
              .step=${this.ratingStep}
              .label=${m.title}
              @cinesage-rate=${forwardRating(this, m.movieId)}
            ></cinesage-star-rating>
          </li>`,
        )}
      </ul>
      <div class="tools">
        <button class="action" @click=${this.#export}>Export ratings</button>
        <button
          class="action"
          @click=${() => this.renderRoot.querySelector<HTMLInputElement>('input[type=file]')?.click()}
        >
          Import ratings…
        </button>
        <input hidden type="file" accept="application/json,.json" aria-label="Ratings file to import" @change=${this.#import} />
        <button class="action" @click=${this.#reset}>Reset</button>
      </div>
      ${
        this.message
          ? html`<p class=${`message ${this.message.error ? 'error' : ''}`} role=${this.message.error ? 'alert' : 'status'}>
            ${this.message.text}
          </p>`
          : null
      }
      <div class="tools">
        <label
          >Browse as
          <select
            @change=${(e: Event) => {
              const v = (e.target as HTMLSelectElement).value;
              const detail = { userId: v ? Number(v) : null };
              this.dispatchEvent(new CustomEvent('cinesage-view-as', { detail, bubbles: true, composed: true }));
            }}
          >
            <option value="" ?selected=${this.viewAs === null}>Me (this device)</option>
            ${this.users.map((u) => html`<option value=${u} ?selected=${this.viewAs === u}>MovieLens user ${u}</option>`)}
          </select>
        </label>
      </div>`;
  }
}

if (!customElements.get('cinesage-profile-panel')) customElements.define('cinesage-profile-panel', ProfilePanel);

declare global {
  interface HTMLElementTagNameMap {
    'cinesage-profile-panel': ProfilePanel;
  }
}
