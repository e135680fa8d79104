/**
 * Registers the service worker and turns its life cycle into plain events on `document`:
 * `cinesage-offline-ready` (everything cached, works without a network) and `cinesage-update-available`
 * (a new version is waiting; `applyUpdate()` activates it). The app registers it only after its first
 * personal list, so the precache never competes with what the visitor is waiting for; the inference worker
 * keeps its artifacts in the same Cache API cache the service worker serves them from.
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
