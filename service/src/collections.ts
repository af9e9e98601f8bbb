// Small collection helpers shared by the adapters and the engine.

/** Appends `value` to the list under `key`, starting the list if there is none (no copy of the list). */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
