// Package clientaddr says which callers count as one when limiting
// requests or failures by network address.
package clientaddr

import "net/netip"

// Key is the address a caller counts as: an IPv4 address as it is, an
// IPv6 address by its /64, the block one subscriber is given (so that
// cycling through the addresses of one's own /64 gains nothing). An
// IPv4-mapped IPv6 address counts as its IPv4 address. Anything that is
// not an address is returned unchanged.
func Key(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	ip = ip.Unmap()
	if ip.Is4() {
		return ip.String()
	}
	p, _ := ip.WithZone("").Prefix(64) // cannot fail for a 128-bit address
	return p.String()
}
