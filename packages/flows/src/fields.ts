// The fields of a flow event that the common transaction fields do not define, for the index
// template (types as Packetbeat's and ECS's).
import type { FieldDefinition } from '@wirebeat/core';

const f = (name: string, type: FieldDefinition['type'], description: string): FieldDefinition => ({
  name,
  type,
  description,
});

/** Fields of flow events beyond the common ones. */
export const flowFields: readonly FieldDefinition[] = [
  f(
    'flow.id',
    'keyword',
    'The flow: its key (VLANs, IP protocol, addresses, ports), the same in every report.',
  ),
  f('flow.final', 'boolean', 'True in the last report of a flow (timed out, evicted or end of input).'),
  f('flow.vlan', 'long', "VLAN id(s) of the flow's frames, outermost first."),
  f('source.packets', 'long', 'Packets sent by the source (the endpoint that sent the first packet).'),
  f('destination.packets', 'long', 'Packets sent by the destination.'),
  f('network.packets', 'long', 'Packets in both directions.'),
  f('network.iana_number', 'keyword', 'IP protocol number.'),
  f('network.vlan.id', 'keyword', 'Outer VLAN id.'),
  f('network.inner.vlan.id', 'keyword', 'Inner VLAN id (QinQ).'),
];
