const { TransactionEventBuilder } = require('@wirebeat/applayer');
const tuple = { ipVersion: 4, srcIp: '10.0.0.1', srcPort: 40000, dstIp: '10.0.0.2', dstPort: 3030, connectionId: 'c1' };
const conn = new TransactionEventBuilder('echo').forConnection(tuple);
const N=300000; const js=[];
for(let i=0;i<N;i++){const ts=1796000000000+i; js.push(conn.build({ index: i, request: { ts, size: 13 }, response: { ts: ts + 1, size: 13 }, notes: undefined },{ status: 'OK', fieldsJson: '{"echoed":true}' }).json);}
function t(name,f){const t0=process.hrtime.bigint();let s=0;for(const j of js)s+=f(j);console.log(name.padEnd(12),(Number(process.hrtime.bigint()-t0)/N).toFixed(0),'ns',s>0)}
for (let r=0;r<2;r++){
t('endsWith',(j)=>j.endsWith('}')?1:0);
t('includes',(j)=>j.includes('"status":"Error"')?1:2);
t('indexOf',(j)=>j.indexOf('"client":{"ip":"'));
t('indexOfq',(j)=>j.indexOf('"', 200));
t('slice',(j)=>j.slice(0,-1).length);
t('concat',(j)=>(j.slice(0,-1)+'abc'+'def').length);
}
const RE=/"status":"(\w+)".*?"client":\{"ip":"([^"]*)".*?"server":\{"ip":"([^"]*)"/;
const RE2=/"client":\{"ip":"([^"]*)"/;
for (let r=0;r<2;r++){
t('regex3',(j)=>{const m=RE.exec(j); return m[3].length});
t('regex1',(j)=>{const m=RE2.exec(j); return m[1].length});
t('short',(j)=>j.indexOf('"ip":'));
t('status',(j)=>{const i=j.indexOf('"status":"'); return i});
}
