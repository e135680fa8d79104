/** Entry point of the site: offline support, then the app's custom elements. */
import { startOfflineSupport } from './offline.ts';
import './cinesage-app.ts';

startOfflineSupport();
