/**
 * The widget's frame (`<cinesage-recommender>`): sealed from the host page's styles (`all: initial`), themed
 * only through the `--cinesage-*` custom properties, with the dark theme's palette.
 */
import { css } from 'lit';

export const widgetStyles = css`
  :host {
    display: block;
    contain: content;
  }
  :host([hidden]) {
    display: none;
  }
  .frame {
    all: initial;
    display: block;
    box-sizing: border-box;
    font-family: var(--cinesage-font, system-ui, -apple-system, 'Segoe UI', sans-serif);
    font-size: 15px;
    line-height: 1.4;
    color: var(--cinesage-text, #1c1b22);
    background: var(--cinesage-surface, #fff);
    border: 1px solid var(--cinesage-border, #e3e1ea);
    border-radius: 10px;
    padding: 12px 14px;
    text-align: left;
  }
  :host([theme='dark']) .frame {
    --cinesage-text: #eeeef3;
    --cinesage-surface: #1f1e26;
    --cinesage-border: #3a3846;
    --cinesage-border-strong: #55526a;
    --cinesage-muted: #b4b1c4;
    --cinesage-accent: #a79dff;
    --cinesage-accent-soft: #2d2a45;
    --cinesage-star-empty: #77748a;
    --cinesage-star-color: #f3b33d;
    --cinesage-focus: #a79dff;
    color: var(--cinesage-text);
    background: var(--cinesage-surface);
  }
  header {
    display: flex;
    justify-content: space-between;
    align-items: baseline;
    gap: 8px;
    margin-bottom: 6px;
  }
  strong.brand {
    font-size: 16px;
  }
  .muted {
    color: var(--cinesage-muted, #5d5a6b);
    font-size: 13px;
  }
  .error {
    color: #8a1c13;
    background: #fde8e6;
    padding: 6px 8px;
    border-radius: 6px;
  }
  button.start {
    font: inherit;
    padding: 6px 12px;
    border-radius: 6px;
    border: 1px solid var(--cinesage-accent, #4b3fd1);
    background: transparent;
    color: var(--cinesage-accent, #4b3fd1);
    cursor: pointer;
  }
`;
