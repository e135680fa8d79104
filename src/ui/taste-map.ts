import { css, html, LitElement } from 'lit';
import type { TasteMap as TasteMapData } from '../core/api.ts';
import { baseStyles } from './shared-styles.ts';

/**
 * `<cinesage-taste-map>`: a 2-D map of the movie embeddings (principal components computed in the worker)
 * drawn on a canvas, with the visitor's position moving as they rate. Hovering shows the nearest title; the
 * canvas has a text alternative saying what it shows.
 *
 * @csspart canvas - The canvas (`role="img"`).
 * @cssprop --cinesage-map-dot - Colour of the movie dots (default `rgba(75, 63, 209, 0.35)`); read when drawing.
 * @cssprop --cinesage-map-you - Colour of the visitor's dot (default `#d1372f`); read when drawing.
 * @cssprop --cinesage-font - Font family (default `system-ui, …`).
 * @cssprop --cinesage-font-size - Base font size (default `1rem`).
 * @cssprop --cinesage-text - Text colour (default `#1c1b22`).
 * @cssprop --cinesage-muted - The explanation under the heading (default `#5d5a6b`).
 * @cssprop --cinesage-border - Border of the canvas (default `#e3e1ea`).
 * @cssprop --cinesage-surface - Background of the canvas (default `#fff`).
 */
export class TasteMap extends LitElement {
  static override properties = {
    map: { attribute: false },
    highlight: { attribute: false },
    hovered: { state: true, attribute: false },
  };
  static override styles = [
    baseStyles,
    css`
      .frame {
        position: relative;
      }
      canvas {
        width: 100%;
        aspect-ratio: 4 / 3;
        border: 1px solid var(--cinesage-border, #e3e1ea);
        border-radius: 0.4rem;
        background: var(--cinesage-surface, #fff);
        display: block;
      }
      .tip {
        position: absolute;
        pointer-events: none;
        background: #1c1b22;
        color: #fff;
        padding: 0.15rem 0.4rem;
        border-radius: 0.25rem;
        font-size: 0.8rem;
        transform: translate(-50%, -130%);
        white-space: nowrap;
      }
    `,
  ];

  /** The map: movie points, their ids and titles, and the visitor's position. */
  declare map: TasteMapData | null;
  /** Movie ids drawn emphasised (e.g. the current recommendations). */
  declare highlight: Set<number>;
  /** The movie nearest the pointer and where the pointer is, for the tooltip. */
  declare protected hovered: { index: number; x: number; y: number } | null;
  #bounds = { minX: 0, maxX: 1, minY: 0, maxY: 1 };

  constructor() {
    super();
    this.map = null;
    this.highlight = new Set();
    this.hovered = null;
  }

  protected override updated(): void {
    this.#draw();
    // The tooltip follows the pointer: its coordinates are set through the CSSOM, not a style attribute.
    const tip = this.renderRoot.querySelector<HTMLElement>('.tip');
    if (tip && this.hovered) {
      tip.style.left = `${this.hovered.x}px`;
      tip.style.top = `${this.hovered.y}px`;
    }
  }

  #toCanvas(x: number, y: number, w: number, h: number): [number, number] {
    const b = this.#bounds;
    const pad = 10;
    return [
      pad + ((x - b.minX) / (b.maxX - b.minX || 1)) * (w - 2 * pad),
      h - pad - ((y - b.minY) / (b.maxY - b.minY || 1)) * (h - 2 * pad),
    ];
  }

  #draw(): void {
    const canvas = this.renderRoot.querySelector('canvas');
    if (!canvas || !this.map) return;
    const dpr = globalThis.devicePixelRatio || 1;
    const w = canvas.clientWidth || 400;
    const h = canvas.clientHeight || 300;
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.scale(dpr, dpr);
    const p = this.map.points;
    let minX = Number.POSITIVE_INFINITY;
    let maxX = Number.NEGATIVE_INFINITY;
    let minY = Number.POSITIVE_INFINITY;
    let maxY = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < p.length; i += 2) {
      minX = Math.min(minX, p[i]);
      maxX = Math.max(maxX, p[i]);
      minY = Math.min(minY, p[i + 1]);
      maxY = Math.max(maxY, p[i + 1]);
    }
    this.#bounds = { minX, maxX, minY, maxY };
    const style = getComputedStyle(this);
    const dot = style.getPropertyValue('--cinesage-map-dot').trim() || 'rgba(75, 63, 209, 0.35)';
    const you = style.getPropertyValue('--cinesage-map-you').trim() || '#d1372f';
    ctx.fillStyle = dot;
    for (let i = 0; i < p.length / 2; i++) {
      const [cx, cy] = this.#toCanvas(p[2 * i], p[2 * i + 1], w, h);
      ctx.fillRect(cx - 1.5, cy - 1.5, 3, 3);
    }
    ctx.fillStyle = '#b8740a';
    for (let i = 0; i < p.length / 2; i++) {
      if (!this.highlight.has(this.map.movieIds[i])) continue;
      const [cx, cy] = this.#toCanvas(p[2 * i], p[2 * i + 1], w, h);
      ctx.beginPath();
      ctx.arc(cx, cy, 3.5, 0, Math.PI * 2);
      ctx.fill();
    }
    if (this.map.visitor) {
      const [vx, vy] = this.#toCanvas(this.map.visitor[0], this.map.visitor[1], w, h);
      ctx.fillStyle = you;
      ctx.beginPath();
      ctx.arc(vx, vy, 7, 0, Math.PI * 2);
      ctx.fill();
      ctx.fillStyle = '#fff';
      ctx.font = 'bold 9px sans-serif';
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillText('you', vx, vy);
    }
  }

  #onMove(e: PointerEvent) {
    const canvas = e.currentTarget as HTMLCanvasElement;
    if (!this.map) return;
    const rect = canvas.getBoundingClientRect();
    const mx = e.clientX - rect.left;
    const my = e.clientY - rect.top;
    let best = -1;
    let bestD = 100; // px², ~10 px radius
    const p = this.map.points;
    for (let i = 0; i < p.length / 2; i++) {
      const [cx, cy] = this.#toCanvas(p[2 * i], p[2 * i + 1], rect.width, rect.height);
      const d = (cx - mx) ** 2 + (cy - my) ** 2;
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    this.hovered = best >= 0 ? { index: best, x: mx, y: my } : null;
  }

  override render() {
    const n = this.map ? this.map.points.length / 2 : 0;
    return html`<h2>Taste map</h2>
      <p class="muted">
        Every dot is a movie, placed by the model's embedding (first two principal components). Movies near each
        other appeal to similar viewers; the red dot is you.
      </p>
      <div class="frame">
        <canvas
          part="canvas"
          role="img"
          aria-label=${`Map of ${n} movies by taste${this.map?.visitor ? ', with your position' : ''}`}
          @pointermove=${this.#onMove}
          @pointerleave=${() => {
            this.hovered = null;
          }}
        ></canvas>
        ${this.hovered && this.map ? html`<span class="tip">${this.map.titles[this.hovered.index]}</span>` : null}
      </div>`;
  }
}

if (!customElements.get('cinesage-taste-map')) customElements.define('cinesage-taste-map', TasteMap);

declare global {
  interface HTMLElementTagNameMap {
    'cinesage-taste-map': TasteMap;
  }
}
