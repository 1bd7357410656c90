import { createHash } from 'node:crypto';

/**
 * The help pages' only stylesheet, served as a file (the CSP allows styles from our origin only, nothing inline). Its
 * URL carries its hash, so it can be cached for a year and a new version is fetched at once.
 */
export const HELP_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.55;color:#1b1f24;background:#fff}
body{margin:0}
a{color:#0b57d0}
a:hover{text-decoration-thickness:2px}
:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
.skip{position:absolute;left:-9999px;top:0;padding:.5rem 1rem;background:#fff}
.skip:focus{left:1rem;top:1rem;z-index:1}
header,main,footer{max-width:46rem;margin:0 auto;padding:1rem}
header{border-bottom:1px solid #d0d7de}
.home{font-weight:600;font-size:1.15rem;text-decoration:none;color:#1b1f24}
form{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end;margin-top:.75rem}
form label{flex-basis:100%;font-size:.95rem}
input[type=search]{flex:1;min-width:12rem;font:inherit;padding:.5rem .6rem;border:1px solid #6e7781;border-radius:6px}
button{font:inherit;padding:.5rem 1rem;border:0;border-radius:6px;background:#0b57d0;color:#fff;cursor:pointer}
nav ol{list-style:none;padding:0;margin:0 0 .5rem;display:flex;flex-wrap:wrap;gap:.25rem;font-size:.95rem}
nav ol li+li::before{content:"/";margin-right:.25rem;color:#57606a}
ul.list{padding-left:1.1rem}
ul.list li{margin:.35rem 0}
.snippet{margin:.15rem 0 .8rem;color:#424a53}
.answer img{max-width:100%}
.answer pre{overflow:auto;background:#f6f8fa;padding:.75rem;border-radius:6px}
footer{border-top:1px solid #d0d7de;font-size:.9rem;color:#424a53}
footer ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
`.trim();

export const HELP_CSS_PATH = `/help/assets/help-${createHash('sha256').update(HELP_CSS).digest('hex').slice(0, 12)}.css`;
