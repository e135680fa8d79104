/** Entry point of the site: the app's custom elements (the app starts offline support after its first list). */
import './cinesage-app.ts';
