// Human-readable names of scales, nets and rows, e.g. "D S=[256;512] Q=256,384,512 dense".
import type {NetRef, Technique, TrainScale} from './types.js'

export function scaleLabel(scale: TrainScale): string {
  return Array.isArray(scale) ? `[${scale[0]};${scale[1]}]` : String(scale)
}

/** "D/[256;512]" as the paper writes fusion members. */
export function netLabel(net: Pick<NetRef, 'config' | 'scale'>): string {
  return `${net.config}/${scaleLabel(net.scale)}`
}

export function rowLabel(nets: NetRef[], technique: Technique): string {
  if (nets.length === 1) {
    const [n] = nets
    return `${n.config} S=${scaleLabel(n.scale)} Q=${n.q.join(',')} ${technique}`
  }
  return `${nets.map(netLabel).join(' + ')} ${technique}`
}
