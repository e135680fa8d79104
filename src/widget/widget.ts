/**
 * The widget's entry (built as `widget.js`): `<script type="module" src=".../widget.js">` registers
 * `<cinesage-recommender>`. Loading it twice registers nothing twice.
 */
import './cinesage-recommender.ts';
