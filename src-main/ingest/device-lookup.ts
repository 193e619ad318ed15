/**
 * Which device a billing-interface connection or push belongs to: the devices whose allowed addresses (IP or CIDR)
 * hold the source address, narrowed by a device the sender names (TCP `DEVICE` line, HTTP `?device=`).
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import type { Device } from '../../src-shared/api/devices';

/** `::ffff:10.0.0.5` -> `10.0.0.5`: IPv4 clients of a dual-stack socket. */
export function plainAddress(address: string): string {
  return address.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address;
}

/** Whether `address` is one of `allowed` (addresses or CIDR blocks, IPv4 or IPv6). Unparseable entries match nothing. */
export function addressAllowed(address: string, allowed: readonly string[]): boolean {
  if (allowed.length === 0) return false;
  const ip = plainAddress(address);
  const family = isIPv4(ip) ? 'ipv4' : isIPv6(ip) ? 'ipv6' : null;
  if (!family) return false;
  const list = new BlockList();
  for (const entry of allowed) {
    const [base, bits] = entry.trim().split('/');
    if (!base) continue;
    const entryFamily = isIPv4(base) ? 'ipv4' : isIPv6(base) ? 'ipv6' : null;
    if (!entryFamily) continue;
    if (bits === undefined) list.addAddress(base, entryFamily);
    else if (/^\d+$/.test(bits)) list.addSubnet(base, Number(bits), entryFamily);
  }
  return list.check(ip, family);
}

export type DeviceChoice =
  | { ok: true; device: Device }
  | { ok: false; reason: string; /** the sender must name the device (several match, or only the interface list allows it) */ needsName: boolean };

/**
 * The device for a sender at `address`, optionally named (id or name, case-insensitive). A named device must allow
 * the address itself, or the address must be in the billing interface's own list. Disabled devices never match.
 */
export function chooseDevice(
  devices: readonly Device[],
  address: string,
  interfaceAddresses: readonly string[],
  named?: string,
): DeviceChoice {
  const enabled = devices.filter((d) => d.enabled);
  const byAddress = enabled.filter((d) => addressAllowed(address, d.addresses));
  const viaInterface = addressAllowed(address, interfaceAddresses);
  if (named !== undefined && named.trim() !== '') {
    const wanted = named.trim();
    const device = enabled.find((d) => String(d.id) === wanted || d.name.toLowerCase() === wanted.toLowerCase());
    if (!device) return { ok: false, reason: `there is no enabled device "${wanted}"`, needsName: false };
    if (!viaInterface && !byAddress.includes(device)) {
      return { ok: false, reason: `device "${device.name}" does not accept CDRs from ${plainAddress(address)}`, needsName: false };
    }
    return { ok: true, device };
  }
  if (byAddress.length === 1) return { ok: true, device: byAddress[0]! };
  if (byAddress.length > 1) {
    return {
      ok: false,
      reason: `${byAddress.length} devices accept CDRs from ${plainAddress(address)} (${byAddress.map((d) => d.name).join(', ')}): name one`,
      needsName: true,
    };
  }
  if (viaInterface) {
    return { ok: false, reason: `${plainAddress(address)} is allowed by the billing interface, not by a device: name the device`, needsName: true };
  }
  return { ok: false, reason: `${plainAddress(address)} is not an allowed address of any device`, needsName: false };
}

/** Whether anything (a device or the interface list) allows the address: else a connection is refused at once. */
export function anyAllows(devices: readonly Device[], address: string, interfaceAddresses: readonly string[]): boolean {
  return addressAllowed(address, interfaceAddresses) || devices.some((d) => d.enabled && addressAllowed(address, d.addresses));
}
