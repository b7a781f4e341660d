/**
 * The UI's one stylesheet, served as /ui/assets/ui-<hash>.css. Colours are chosen for WCAG AA contrast on white
 * (text at least 4.5:1, bars and focus rings at least 3:1), and insertions and deletions are marked by more than
 * colour (underline, strike-through, and words for screen readers).
 */
export const UI_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1a1a1a;background:#fff}
a{color:#0b4fb3;text-underline-offset:2px}
a:visited{color:#5b2a86}
a:hover{color:#06306e}
:focus-visible{outline:3px solid #1746a2;outline-offset:2px;border-radius:2px}
[hidden]{display:none!important}
.visually-hidden{position:absolute!important;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap;border:0}
.skip-link{position:absolute;left:.5rem;top:-4rem;z-index:10;background:#1746a2;color:#fff;padding:.5rem 1rem;border-radius:0 0 4px 4px;font-weight:600}
.skip-link:focus{top:0;color:#fff}
.site-header{background:#14213d;color:#fff;border-bottom:4px solid #c1121f}
.site-header .bar{max-width:80rem;margin:auto;padding:.6rem 1rem;display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 2rem}
.brand{color:#fff;font-weight:700;font-size:1.25rem;text-decoration:none;letter-spacing:.02em}
.brand:visited,.brand:hover{color:#fff}
.brand span{color:#ffb3b8}
.site-nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1.25rem}
.site-nav a{color:#fff;text-decoration:none;padding:.2rem 0;border-bottom:2px solid transparent}
.site-nav a:visited{color:#fff}
.site-nav a:hover,.site-nav a[aria-current=page]{border-bottom-color:#ffb3b8}
.site-nav :focus-visible,.brand:focus-visible{outline-color:#fff}
main{max-width:80rem;margin:auto;padding:1rem 1rem 3rem}
main:focus{outline:none}
.site-footer{border-top:1px solid #d0d0d0;color:#4a4a4a;font-size:.9rem}
.site-footer .bar{max-width:80rem;margin:auto;padding:1rem}
.site-footer a{color:#0b4fb3}
h1{font-size:1.75rem;line-height:1.25;margin:.5rem 0 1rem}
h2{font-size:1.35rem;margin:2rem 0 .75rem}
h3{font-size:1.1rem;margin:1.25rem 0 .5rem}
.lead{font-size:1.05rem;color:#333}
.muted{color:#595959}
.breadcrumbs ol{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;font-size:.9rem}
.breadcrumbs li+li::before{content:"/";padding:0 .5rem;color:#595959}
table.data{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem;font-size:.95rem}
table.data caption{text-align:left;font-weight:600;padding:.25rem 0}
table.data th,table.data td{border-bottom:1px solid #d9d9d9;padding:.4rem .5rem;text-align:left;vertical-align:top}
table.data thead th{border-bottom:2px solid #4a4a4a;white-space:nowrap}
table.data td.number,table.data th.number{text-align:right;font-variant-numeric:tabular-nums}
.table-scroll{overflow-x:auto;position:relative}
.badge{display:inline-block;font-size:.75rem;font-weight:600;line-height:1.4;padding:0 .45rem;border-radius:3px;color:#fff;background:#4a4a4a;vertical-align:middle;white-space:nowrap}
.badge.added{background:#17622b}
.badge.removed{background:#a4161a}
.badge.modified{background:#1f4f99}
.badge.renamed{background:#6a3d9a}
.badge.moved{background:#7a4a00}
.badge.unchanged{background:#595959}
.badge.trivial{background:#e9e9e9;color:#333}
.badge.baseline{background:#14213d}
.button,button{font:inherit;font-weight:600;background:#1746a2;color:#fff;border:2px solid #1746a2;border-radius:4px;padding:.35rem .9rem;cursor:pointer;text-decoration:none;display:inline-block}
.button:visited{color:#fff}
.button.secondary,button.secondary{background:#fff;color:#1746a2}
.button:hover,button:hover{background:#0f3276;border-color:#0f3276;color:#fff}
form.inline{display:flex;flex-wrap:wrap;gap:.75rem 1rem;align-items:flex-end;margin:.5rem 0 1rem}
.field{display:flex;flex-direction:column;gap:.2rem}
.field label,.field .label{font-weight:600;font-size:.9rem}
.field .hint{font-size:.85rem;color:#595959}
input[type=text],input[type=number],input[type=password],input[type=email],input[type=url],select,textarea{font:inherit;padding:.3rem .45rem;border:1px solid #6b6b6b;border-radius:4px;background:#fff;color:#1a1a1a;min-width:6rem}
fieldset{border:1px solid #c4c4c4;border-radius:4px;margin:0 0 1rem;padding:.5rem 1rem 1rem}
legend{font-weight:700;padding:0 .25rem}
.check{display:flex;gap:.4rem;align-items:center}
.stack>*+*{margin-top:.75rem}
.glance{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(24rem,100%),1fr));gap:0 2rem}
.grid-form{display:grid;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr));gap:.75rem 1.25rem}
.notice{border-left:5px solid #1746a2;background:#eef3fc;padding:.6rem 1rem;margin:1rem 0}
.notice.error{border-left-color:#a4161a;background:#fdf0f0}
.notice.success{border-left-color:#17622b;background:#edf8ef}
p,li,dd,td,th,h1,h2,h3,q,ins,del,code,.moved-text{overflow-wrap:anywhere}
input[type=text],input[type=number],input[type=password],input[type=email],input[type=url],select,textarea{max-width:100%}
.field{min-width:0;max-width:100%}
pre,code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88rem}
pre{background:#f4f4f4;border:1px solid #d9d9d9;padding:.6rem .8rem;overflow-x:auto;white-space:pre-wrap;word-break:break-word}
.links-inline{display:flex;flex-wrap:wrap;gap:.25rem 1rem;padding:0;margin:.25rem 0;list-style:none}
.timeline{list-style:none;margin:0;padding:0;border-left:3px solid #c4c4c4}
.timeline>li{position:relative;margin:0 0 1rem;padding:.1rem 0 .1rem 1.25rem}
.timeline>li::before{content:"";position:absolute;left:-.6rem;top:.55rem;width:.9rem;height:.9rem;border-radius:50%;background:#1746a2;border:2px solid #fff}
.timeline>li.baseline::before{background:#14213d}
.timeline .when{font-weight:600}
.timeline .pick{display:inline-flex;gap:.6rem;margin-left:.5rem;font-size:.85rem}
.section-list{margin:.25rem 0;padding-left:1.25rem}
.significance{display:inline-block;width:5rem;height:.6rem;background:#e3e3e3;border:1px solid #8a8a8a;vertical-align:middle}
.significance>span{display:block;height:100%;background:#a4161a}
.diff-layout{display:grid;grid-template-columns:minmax(14rem,18rem) minmax(0,1fr);gap:1.5rem;align-items:start}
@media (max-width:60rem){.diff-layout{grid-template-columns:minmax(0,1fr)}.section-nav{position:static;max-height:none}}
.section-nav{position:sticky;top:.5rem;max-height:calc(100vh - 1rem);overflow:auto;border:1px solid #d0d0d0;border-radius:4px;padding:.5rem .75rem;font-size:.88rem;background:#fafafa}
.section-nav h2{font-size:1rem;margin:.25rem 0 .5rem}
.section-nav ol{list-style:none;margin:0;padding:0}
.section-nav li{margin:.15rem 0}
.section-nav a{display:block;padding:.1rem .25rem;border-radius:3px;text-decoration:none;color:#1a1a1a}
.section-nav a:visited{color:#1a1a1a}
.section-nav a:hover{background:#e8eefb}
.section-nav a[aria-current]{background:#dbe5fa;font-weight:600}
.section-nav .level-2{padding-left:.75rem}.section-nav .level-3{padding-left:1.5rem}.section-nav .level-4,.section-nav .level-5,.section-nav .level-6{padding-left:2.25rem}
.edition-nav h3{font-size:.9rem;margin:.75rem 0 .25rem}
.edition-nav a{overflow-wrap:anywhere}
.edition-nav .old-name{font-style:italic}
.edition-nav details{margin-top:.75rem}.edition-nav summary{cursor:pointer;font-weight:600}
.diff-toolbar{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem;padding:.5rem .75rem;border:1px solid #d0d0d0;border-radius:4px;background:#fafafa;margin:0 0 1rem}
.diff-toolbar .views a[aria-current]{font-weight:700;color:#1a1a1a;text-decoration:none}
.diff-summary{display:flex;flex-wrap:wrap;gap:.4rem .6rem;align-items:center;margin:.5rem 0 1rem}
.diff-section{border:1px solid #d0d0d0;border-left:6px solid #1f4f99;border-radius:4px;padding:.25rem 1rem .75rem;margin:0 0 1rem;scroll-margin-top:.5rem}
.diff-section.kind-added{border-left-color:#17622b}
.diff-section.kind-removed{border-left-color:#a4161a;background:#fff6f6}
.diff-section.kind-renamed{border-left-color:#6a3d9a}
.diff-section.kind-moved{border-left-color:#7a4a00}
.diff-section.kind-unchanged{border-left-color:#8a8a8a}
.diff-section.trivial{border-left-color:#b0b0b0}
.diff-section>header h2,.diff-section>header h3{margin:.5rem 0 .25rem;font-size:1.1rem}
.diff-section>header h2:focus{outline:none}
.diff-section .meta{font-size:.85rem;color:#4a4a4a;margin:0 0 .5rem;display:flex;flex-wrap:wrap;gap:.3rem .75rem;align-items:center}
.rename{margin:.25rem 0 .5rem;padding:.35rem .6rem;background:#f4eefa;border-radius:3px}
.rename .old-name{font-style:italic}
.removed-banner{font-weight:700;color:#7d0f12;margin:.25rem 0 .5rem}
.para{margin:.5rem 0}
.para.whole{padding:.35rem .6rem;border-radius:3px}
.para.added-para{background:#eefaf0}
.para.removed-para{background:#fdf0f0}
ins{background:#cdf2d5;color:#0b3a16;text-decoration:underline;text-decoration-thickness:2px;text-decoration-color:#17622b}
del{background:#fbd7d7;color:#6b0b0b;text-decoration:line-through;text-decoration-thickness:2px}
ins::before,ins::after,del::before,del::after{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
ins::before{content:" [insertion] "}ins::after{content:" [end insertion] "}
del::before{content:" [deletion] "}del::after{content:" [end deletion] "}
table.side-by-side{width:100%;table-layout:fixed;border-collapse:collapse;margin:.5rem 0}
table.side-by-side th{font-size:.85rem;text-align:left;color:#4a4a4a;border-bottom:1px solid #c4c4c4;padding:.2rem .5rem}
table.side-by-side td{vertical-align:top;padding:.4rem .5rem;border-bottom:1px solid #e3e3e3;overflow-wrap:anywhere}
.moved-para{background:#fdf3e1;border-left:4px solid #7a4a00;scroll-margin-top:.5rem}
.moved-para:target{outline:3px solid #7a4a00}
.move-link{font-size:.85rem;white-space:normal}
@media (max-width:43.75rem){table.side-by-side,table.side-by-side tbody,table.side-by-side tr,table.side-by-side td{display:block;width:100%}table.side-by-side thead{display:none}table.side-by-side td.empty{display:none}}
table.side-by-side td.empty{background:repeating-linear-gradient(135deg,#fafafa 0 6px,#f0f0f0 6px 12px)}
.removed-sentences{margin:.75rem 0 .25rem;padding:.5rem .75rem;border:2px solid #a4161a;border-radius:4px;background:#fff}
.removed-sentences h3,.removed-sentences h4{margin:.1rem 0 .4rem;font-size:.95rem;color:#7d0f12}
.removed-sentences ol{margin:0;padding-left:1.25rem}
.chart-wrap{overflow-x:auto;position:relative;margin:.5rem 0 1rem}
svg.chart{max-width:100%;height:auto;font-family:inherit}
@media (max-width:43.75rem){svg.chart{max-width:none}}
svg.chart text{fill:#1a1a1a;font-size:12px}
svg.chart .axis{stroke:#4a4a4a}
svg.chart .grid{stroke:#d9d9d9}
.legend{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;padding:0;margin:.25rem 0}
.legend .swatch{display:inline-block;width:.9rem;height:.9rem;border:1px solid #4a4a4a;vertical-align:middle;margin-right:.3rem}
.term-0{background:#1f4f99}.term-1{background:#b3261e}.term-2{background:#17622b}.term-3{background:#6a3d9a}.term-4{background:#00707a}.term-5{background:#7a4a00}.term-6{background:#8a1c5c}.term-7{background:#3b5b00}
.keys-hint{font-size:.85rem;color:#4a4a4a}
ol.blame{list-style:none;margin:0 0 1rem;padding:0}
ol.blame>li{border-bottom:1px solid #e3e3e3;padding:.35rem 0;scroll-margin-top:.5rem}
ol.blame>li:target{background:#fff8d6}
ol.blame .sentence{margin:0}
.blame-meta{margin:.15rem 0 0;font-size:.85rem;color:#4a4a4a;display:flex;flex-wrap:wrap;gap:.1rem .9rem}
.reworded-from{margin:.2rem 0 0;font-size:.9rem;color:#333;padding-left:.75rem;border-left:3px solid #6a3d9a}
.hit-facts{display:flex;flex-wrap:wrap;gap:.1rem 1.25rem;margin:.2rem 0 0;font-size:.9rem}
.hit-facts div{display:flex;gap:.35rem}
.hit-facts dt{font-weight:600}
.hit-facts dd{margin:0}
mark{background:#ffe98a;color:#1a1a1a}
kbd{font-family:ui-monospace,monospace;font-size:.8rem;border:1px solid #8a8a8a;border-radius:3px;padding:0 .3rem;background:#fff}
`;
