#!/usr/bin/env node
// Validates every object of a multi-document YAML stream (stdin, e.g. `kubectl kustomize ...`) against
// its schema: the kubernetes-models classes for built-in kinds, @kubernetes-models/keda for KEDA and
// @kubernetes-models/strimzi-kafka-operator for Strimzi. The model class is picked by apiVersion and kind;
// an apiVersion or kind without a model fails, as does any document that is not an object.
// Prints one line per object ("ok Kind/name" or "invalid Kind/name: why"), exits 1 if any failed.
import { parseAllDocuments } from "yaml";

// apiVersion group -> module prefix; the version is appended ("apps/v1" -> kubernetes-models/apps/v1)
const THIRD_PARTY = {
  "keda.sh": "@kubernetes-models/keda/keda.sh",
  "eventing.keda.sh": "@kubernetes-models/keda/eventing.keda.sh",
  "kafka.strimzi.io": "@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io",
  "core.strimzi.io": "@kubernetes-models/strimzi-kafka-operator/core.strimzi.io",
};

function moduleFor(apiVersion) {
  const slash = apiVersion.indexOf("/");
  if (slash < 0) {
    return `kubernetes-models/${apiVersion}`; // the core group: "v1"
  }
  const group = apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  if (THIRD_PARTY[group]) {
    return `${THIRD_PARTY[group]}/${version}`;
  }
  if (group.includes(".") && !group.endsWith(".k8s.io")) {
    return null; // a custom resource group without a model here
  }
  return `kubernetes-models/${group}/${version}`;
}

async function modelClass(apiVersion, kind) {
  const mod = moduleFor(apiVersion);
  if (!mod) {
    return null;
  }
  try {
    const m = await import(mod);
    const cls = m[kind];
    return typeof cls === "function" && cls.apiVersion === apiVersion && cls.kind === kind ? cls : null;
  } catch {
    return null;
  }
}

function messageOf(err) {
  if (Array.isArray(err?.details) && err.details.length) {
    return err.details.map((d) => `${d.instancePath || "/"} ${d.message}`).join("; ");
  }
  return err?.message ?? String(err);
}

const input = await new Promise((resolve, reject) => {
  const chunks = [];
  process.stdin.on("data", (c) => chunks.push(c));
  process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
  process.stdin.on("error", reject);
});

let failed = 0;
let count = 0;
for (const doc of parseAllDocuments(input)) {
  if (doc.errors?.length) {
    console.log(`invalid YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
    failed++;
    continue;
  }
  const obj = doc.toJS();
  if (obj === null || obj === undefined) {
    continue; // an empty document
  }
  count++;
  if (typeof obj !== "object" || Array.isArray(obj)) {
    console.log(`invalid document ${count}: not an object`);
    failed++;
    continue;
  }
  const { apiVersion, kind } = obj;
  const name = obj.metadata?.name ?? "(no name)";
  const id = `${apiVersion}/${kind}/${name}`;
  if (typeof apiVersion !== "string" || typeof kind !== "string") {
    console.log(`invalid ${id}: apiVersion and kind are required`);
    failed++;
    continue;
  }
  const cls = await modelClass(apiVersion, kind);
  if (!cls) {
    console.log(`invalid ${id}: unknown kind (no schema for ${apiVersion} ${kind})`);
    failed++;
    continue;
  }
  try {
    new cls(obj).validate();
    console.log(`ok ${id}`);
  } catch (err) {
    console.log(`invalid ${id}: ${messageOf(err)}`);
    failed++;
  }
}
if (count === 0) {
  console.log("invalid: no objects on stdin");
  failed++;
}
console.log(`${count} objects, ${failed} invalid`);
process.exit(failed ? 1 : 0);
