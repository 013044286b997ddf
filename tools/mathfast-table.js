// tools/mathfast-table.js: prints the tables of src/mathfast_sym.c (symbols,
// accents, spaces) as KaTeX writes them, run with node: each symbol is
// checked alone, between letters, before , and ), as a script and in display
// mode, so that only symbols whose MathML never depends on their context are
// kept. Run it again when Debian's KaTeX changes, and set BB_MATHFAST_KATEX.
const fs=require('fs'),vm=require('vm');globalThis.self=globalThis;
const src=fs.readFileSync('/usr/share/javascript/katex/katex.min.js','utf8');
vm.runInThisContext('(function(module,exports,define,require){'+src+'\n})')();
const mjs=fs.readFileSync('/usr/share/javascript/katex/katex.mjs','utf8');
function R(t,d){try{const s=katex.renderToString(t,{displayMode:!!d,output:'mathml',throwOnError:true,trust:false,strict:'ignore',maxSize:100,maxExpand:1000,errorColor:'#fe0bb1',macros:{'\\displaylines':'\\begin{gathered}#1\\end{gathered}'}});
 const m=/<semantics>(.*)<annotation/.exec(s);return m?m[1]:null;}catch(e){return null;}}
const names=new Set();
for(const re of [/defineSymbol\(math, \w+, \w+, [^,]+, "(\\\\[a-zA-Z]+)"/g,/defineMacro\("(\\\\[a-zA-Z]+)"/g]){let m;while((m=re.exec(mjs)))names.add(m[1].replace(/\\\\/g,'\\'));}
for(const c of ['\\{','\\}','\\|','\\#','\\%','\\&','\\$','\\_'])names.add(c);
for(let i=33;i<127;i++){const c=String.fromCharCode(i);if(!'\\{}^_\'&%#$~'.includes(c))names.add(c);}
const bad=new Set(['\\not','\\dots','\\dotsc','\\dotsb','\\dotsm','\\dotsi','\\dotso','\\dotsx','\\mathellipsis','\\u','\\unicode','\\char']);
const ent=s=>s.replace(/&lt;/g,'<').replace(/&gt;/g,'>').replace(/&quot;/g,'"').replace(/&#x27;/g,"'").replace(/&amp;/g,'&');
const esc=s=>s.replace(/&/g,'&amp;').replace(/</g,'&lt;').replace(/>/g,'&gt;');
const out=[];
for(const n of [...names].sort()){
  if(bad.has(n))continue;
  const r=R(n);if(!r)continue;
  const m=/^<mrow><(mi|mo|mn)((?: [a-z]+="[^"]*")*)>([^<]*)<\/\1><\/mrow>$/.exec(r);if(!m)continue;
  const el=`<${m[1]}${m[2]}>${m[3]}</${m[1]}>`;
  // context: same element between two letters, as a script, in braces (mo gets lspace), in display mode
  if(R('a '+n+' b')!==`<mrow><mi>a</mi>${el}<mi>b</mi></mrow>`)continue;
  // macros that look at the next token (\cdots before , or ) adds a space)
  if(R('a '+n+' ,')!==`<mrow><mi>a</mi>${el}<mo separator="true">,</mo></mrow>`)continue;
  if(R('(a '+n+' )')!==`<mrow><mo stretchy="false">(</mo><mi>a</mi>${el}<mo stretchy="false">)</mo></mrow>`)continue;
  if(R('x^'+n)!==`<mrow><msup><mi>x</mi>${el}</msup></mrow>`)continue;
  if(R(n+'_a^b',1)!==`<mrow><msubsup>${el}<mi>a</mi><mi>b</mi></msubsup></mrow>`)continue;
  const wantBr=m[1]==='mo'?`<mo${m[2]} lspace="0em" rspace="0em">${m[3]}</mo>`:el;
  if(R('x^{'+n+'}')!==`<mrow><msup><mi>x</mi>${wantBr}</msup></mrow>`)continue;
  if(/[a-zA-Z]$/.test(n) && n.startsWith('\\') && R(n+'x')!==null && R(n+' x')!==`<mrow>${el}<mi>x</mi></mrow>`)continue;
  const text=esc(ent(m[3]));
  const attrs=m[2].replace(/"/g,'\\"');
  out.push(`\t{ "${n.replace(/\\/g,'\\\\').replace(/"/g,'\\"')}", "${m[1]}", "${attrs}", "${[...Buffer.from(text,'utf8')].map(b=>b>=32&&b<127&&b!==34&&b!==92?String.fromCharCode(b):'\\'+b.toString(8).padStart(3,'0')).join('')}" },`);
}
console.log(out.join('\n'));
console.error(out.length+' symbols of '+names.size+' names');
const acc=[];
for(const a of ['acute','grave','ddot','tilde','bar','breve','check','hat','vec','dot','mathring']){
  const r=R('\\'+a+'{x}');const m=/^<mrow><mover accent="true"><mi>x<\/mi><mo>([^<]*)<\/mo><\/mover><\/mrow>$/.exec(r);
  if(!m){console.error('accent '+a+' '+r);continue;}
  acc.push(`\t{ "${a}", "${[...Buffer.from(esc(ent(m[1])),'utf8')].map(b=>b>=32&&b<127&&b!==34&&b!==92?String.fromCharCode(b):'\\'+b.toString(8).padStart(3,'0')).join('')}" },`);
}
console.log('/* accents */');console.log(acc.join('\n'));
const sp=[];
for(const s of [',',':',';','!','>','quad','qquad','enspace','thinspace','medspace','thickspace','negthinspace']){
  const n='\\'+s;const r=R('a'+n+' b');const m=/^<mrow><mi>a<\/mi>(.*)<mi>b<\/mi><\/mrow>$/.exec(r||'');
  if(!m){console.error('space '+s+' '+r);continue;}
  if(R('a'+n+' '+n+' b')!==`<mrow><mi>a</mi>${m[1]}${m[1]}<mi>b</mi></mrow>`){console.error('space merges '+s);continue;}
  // libxml writes an empty element as <x/>
  sp.push(`\t{ "${s.replace(/\\/g,'\\\\')}", "${[...Buffer.from(m[1].replace(/<(\w+)([^>]*)><\/\1>/g,'<$1$2/>'),'utf8')].map(b=>b>=32&&b<127&&b!==34&&b!==92?String.fromCharCode(b):'\\'+b.toString(8).padStart(3,'0')).join('')}" },`);
}
console.log('/* spaces */');console.log(sp.join('\n'));
// mathfast_text.c's S_usyms: KaTeX's symbols typed as characters (Latin-1
// and Greek), with the checks above and between two digits.
const oct=s=>[...Buffer.from(s,'utf8')].map(b=>b>=32&&b<127&&b!==34&&b!==92?String.fromCharCode(b):'\\'+b.toString(8).padStart(3,'0')).join('');
const us=[];
for(let cp=0xa0;cp<0x400;cp++){
  const n=String.fromCharCode(cp),r=R(n);if(!r)continue;
  const m=/^<mrow><(mi|mo|mn)((?: [a-z]+="[^"]*")*)>([^<]*)<\/\1><\/mrow>$/.exec(r);if(!m)continue;
  const el=`<${m[1]}${m[2]}>${m[3]}</${m[1]}>`;
  const wantBr=m[1]==='mo'?`<mo${m[2]} lspace="0em" rspace="0em">${m[3]}</mo>`:el;
  if(R('a '+n+' b')!==`<mrow><mi>a</mi>${el}<mi>b</mi></mrow>`||R('a '+n+' ,')!==`<mrow><mi>a</mi>${el}<mo separator="true">,</mo></mrow>`
    ||R('(a '+n+' )')!==`<mrow><mo stretchy="false">(</mo><mi>a</mi>${el}<mo stretchy="false">)</mo></mrow>`
    ||R('x^'+n)!==`<mrow><msup><mi>x</mi>${el}</msup></mrow>`||R(n+'_a^b',1)!==`<mrow><msubsup>${el}<mi>a</mi><mi>b</mi></msubsup></mrow>`
    ||R('x^{'+n+'}')!==`<mrow><msup><mi>x</mi>${wantBr}</msup></mrow>`||R('1'+n+'2')!==`<mrow><mn>1</mn>${el}<mn>2</mn></mrow>`)continue;
  us.push(`\t{ 0x${cp.toString(16)}, "${m[1]}", "${m[2].replace(/"/g,'\\"')}", "${oct(m[3])}" },`);
}
console.log('/* mathfast_text.c: symbols typed as characters */');console.log(us.join('\n'));
