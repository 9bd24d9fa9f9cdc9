import type { FormFieldRow } from '../db/schema.ts'
import { anonymousIdName, consentName, honeypotName, pageUrlName, valueLimitOf } from './fields.ts'

/**
 * GET /f/<id>.js: renders the form into `[data-tandem-form="<id>"]`, or into a new element after
 * the script tag, and posts it as JSON with fetch. The visitor's anonymous id comes from the
 * tracking snippet's `tandem_aid` cookie, so their earlier page views join the contact. Built with
 * DOM calls (textContent, never innerHTML), so no value of the form can inject markup.
 */
export function embedScript(
  origin: string,
  form: { id: string; name: string; fields: FormFieldRow[]; consentText: string | null },
): string {
  const config = {
    id: form.id,
    action: `${origin}/f/${form.id}`,
    fields: form.fields.map((f) => ({ ...f, max: valueLimitOf(f.type) })),
    consentText: form.consentText,
    names: { aid: anonymousIdName, consent: consentName, page: pageUrlName, hp: honeypotName },
  }
  // JSON inside a script: < escaped so no value can close a tag.
  const json = JSON.stringify(config).replace(/</g, '\\u003c')
  return `(function(){var c=${json};var s=document.currentScript;
var box=document.querySelector('[data-tandem-form="'+c.id+'"]');
if(!box){box=document.createElement('div');box.setAttribute('data-tandem-form',c.id);if(s&&s.parentNode){s.parentNode.insertBefore(box,s.nextSibling)}else{document.body.appendChild(box)}}
function el(t,a,txt){var e=document.createElement(t);for(var k in a){if(a[k]!==false&&a[k]!=null)e.setAttribute(k,a[k]===true?'':a[k])}if(txt!=null)e.textContent=txt;return e}
function cookie(n){var m=document.cookie.match(new RegExp('(?:^|; )'+n+'=([^;]*)'));return m?decodeURIComponent(m[1]):''}
var f=el('form',{novalidate:true,'class':'tandem-form'});var inputs={};var errs={};
function row(key,label,input,isCheck){var d=el('div',{'class':'tandem-field'});var l=el('label',{'for':'tandem-'+c.id+'-'+key},label);
if(isCheck){d.appendChild(input);d.appendChild(document.createTextNode(' '));d.appendChild(l)}else{d.appendChild(l);d.appendChild(input)}
var e=el('p',{id:'tandem-'+c.id+'-'+key+'-error','class':'tandem-error',role:'alert',style:'color:#c92a2a;margin:4px 0 0'});e.hidden=true;d.appendChild(e);errs[key]=e;inputs[key]=input;f.appendChild(d)}
c.fields.forEach(function(fd){var id='tandem-'+c.id+'-'+fd.key;var i;
if(fd.type==='textarea'){i=el('textarea',{id:id,name:fd.key,rows:5,maxlength:fd.max,required:fd.required})}
else if(fd.type==='select'){i=el('select',{id:id,name:fd.key,required:fd.required});i.appendChild(el('option',{value:''},'Choose…'));(fd.options||[]).forEach(function(o){i.appendChild(el('option',{value:o},o))})}
else if(fd.type==='checkbox'){i=el('input',{type:'checkbox',id:id,name:fd.key,required:fd.required})}
else{i=el('input',{type:fd.type,id:id,name:fd.key,maxlength:fd.max,required:fd.required})}
row(fd.key,fd.label+(fd.required?' *':''),i,fd.type==='checkbox')});
if(c.consentText){row(c.names.consent,c.consentText,el('input',{type:'checkbox',id:'tandem-'+c.id+'-'+c.names.consent,name:c.names.consent,required:true}),true)}
var hp=el('div',{'aria-hidden':'true',style:'position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden'});
var hpi=el('input',{type:'text',name:c.names.hp,tabindex:'-1',autocomplete:'off'});hp.appendChild(hpi);f.appendChild(hp);
var btn=el('button',{type:'submit'},'Send');f.appendChild(btn);var status=el('p',{role:'status'});f.appendChild(status);
f.addEventListener('submit',function(ev){ev.preventDefault();var body={};
Object.keys(inputs).forEach(function(k){var i=inputs[k];body[k]=i.type==='checkbox'?i.checked:i.value;errs[k].hidden=true;i.removeAttribute('aria-invalid')});
body[c.names.hp]=hpi.value;body[c.names.aid]=cookie('tandem_aid');body[c.names.page]=location.href;btn.disabled=true;status.textContent='';
fetch(c.action,{method:'POST',headers:{'Content-Type':'application/json'},body:JSON.stringify(body)}).then(function(r){return r.json().then(function(j){return{ok:r.ok,j:j}})}).then(function(res){btn.disabled=false;
if(res.ok){if(res.j.data.redirectUrl){location.href=res.j.data.redirectUrl;return}var m=el('p',{role:'status','class':'tandem-thanks'},res.j.data.message);box.replaceChild(m,f);return}
var issues=(res.j.error&&res.j.error.details&&res.j.error.details.issues)||[];issues.forEach(function(is){var e=errs[is.field];if(e){e.textContent=is.message;e.hidden=false;inputs[is.field].setAttribute('aria-invalid','true');inputs[is.field].setAttribute('aria-describedby',e.id)}});
status.textContent=res.j.error?res.j.error.message:'Something went wrong'}).catch(function(){btn.disabled=false;status.textContent='The form could not be sent; please try again.'})});
box.appendChild(f)})();
`
}
