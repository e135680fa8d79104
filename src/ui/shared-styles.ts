/** Styles every CineSage component shares: type, colours and controls, all themable by custom properties. */
import { css } from 'lit';

export const baseStyles = css`
  :host {
    font-family: var(--cinesage-font, system-ui, -apple-system, 'Segoe UI', sans-serif);
    color: var(--cinesage-text, #1c1b22);
    font-size: var(--cinesage-font-size, 1rem);
    line-height: 1.4;
    box-sizing: border-box;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  h2 {
    font-size: 1.1rem;
    margin: 0 0 0.5rem;
  }
  ul.movies {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  ul.movies > li {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 0.5rem;
    padding: 0.45rem 0.25rem;
    border-bottom: 1px solid var(--cinesage-border, #e3e1ea);
    flex-wrap: wrap;
  }
  .title {
    font-weight: 600;
  }
  .meta,
  .muted {
    color: var(--cinesage-muted, #5d5a6b);
    font-size: 0.85em;
  }
  input,
  select,
  button {
    font: inherit;
  }
  input[type='search'],
  input[type='number'],
  select {
    padding: 0.35rem 0.5rem;
    border: 1px solid var(--cinesage-border-strong, #b9b5c7);
    border-radius: 0.35rem;
    background: var(--cinesage-surface, #fff);
    color: inherit;
  }
  button.action {
    padding: 0.35rem 0.75rem;
    border: 1px solid var(--cinesage-accent, #4b3fd1);
    background: var(--cinesage-surface, #fff);
    color: var(--cinesage-accent, #4b3fd1);
    border-radius: 0.35rem;
    cursor: pointer;
  }
  button.action:hover {
    background: var(--cinesage-accent-soft, #efedfc);
  }
  :focus-visible {
    outline: 2px solid var(--cinesage-focus, #4b3fd1);
    outline-offset: 2px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
