/**
 * Registers the service worker and turns its life cycle into plain events on `document`:
 * `cinesage-offline-ready` (everything cached, works without a network) and `cinesage-update-available`
 * (a new version is waiting; `applyUpdate()` activates it). `controlled()` resolves once the page is
 * controlled, so the worker's artifact downloads go through the service worker and get cached.
 */
import { registerSW } from 'virtual:pwa-register';

let update: ((reload?: boolean) => Promise<void>) | null = null;

export function startOfflineSupport(): void {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  update = registerSW({
    immediate: true,
    onOfflineReady: () => document.dispatchEvent(new CustomEvent('cinesage-offline-ready')),
    onNeedRefresh: () => document.dispatchEvent(new CustomEvent('cinesage-update-available')),
  });
  if (navigator.serviceWorker.controller) {
    document.dispatchEvent(new CustomEvent('cinesage-offline-ready'));
  }
}

export function applyUpdate(): Promise<void> {
  return update ? update(true) : Promise.resolve(location.reload());
}

/** Resolves when a service worker controls the page, or after `timeoutMs` (the site works without one). */
export function controlled(timeoutMs = 4000): Promise<boolean> {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return Promise.resolve(false);
  if (navigator.serviceWorker.controller) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    navigator.serviceWorker.addEventListener('controllerchange', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
