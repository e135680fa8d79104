/** The site's page layout (`<cinesage-app>`): header, the two-column grid that folds to one on phones, sections, banners. */
import { css } from 'lit';
import { baseStyles } from '../ui/shared-styles.ts';

export const appStyles = [
  baseStyles,
  css`
    :host {
      display: block;
      max-width: 80rem;
      margin: 0 auto;
      padding: 0.75rem 1rem 3rem;
    }
    header h1 {
      font-size: 1.6rem;
      margin: 0;
    }
    header p {
      margin: 0.2rem 0 1rem;
    }
    .grid {
      display: grid;
      grid-template-columns: minmax(0, 1fr) minmax(0, 1.2fr);
      gap: 1.25rem;
    }
    section {
      background: var(--cinesage-surface, #fff);
      border: 1px solid var(--cinesage-border, #e3e1ea);
      border-radius: 0.6rem;
      padding: 0.85rem 1rem;
      min-width: 0;
    }
    .stack {
      display: flex;
      flex-direction: column;
      gap: 1.25rem;
      min-width: 0;
    }
    .banner {
      padding: 0.5rem 0.75rem;
      border-radius: 0.4rem;
      background: #fff4d6;
      margin-bottom: 1rem;
    }
    @media (max-width: 50rem) {
      .grid {
        grid-template-columns: minmax(0, 1fr);
      }
    }
  `,
];
