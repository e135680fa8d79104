/** Entry point of the site: registers the app's custom elements. */
import './cinesage-app.ts';
