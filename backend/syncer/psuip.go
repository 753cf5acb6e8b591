package syncer

import "net"

// LocalIP is the X-PSU-IP an attended sync sends: this machine's address on
// the interface its internet traffic leaves by.
//
// TrueLayer asks for "the end user's IP address" so the bank knows the user
// is present (which lifts the PSD2 limit of four unattended calls a day)
// and can weigh it in its fraud checks. A web app copies the address its
// server saw; a desktop app has no server in between, and the user is at
// this very machine. The public address behind a home router cannot be
// known without asking a third-party service, which would tell that service
// when someone uses Bankdesk, so the local address is the honest answer.
// Connecting a UDP socket sends nothing: it only asks the kernel which
// interface and address a packet to the internet would use. With no route
// at all (offline, where the sync fails anyway) it falls back to 127.0.0.1.
func LocalIP() string {
	for _, probe := range []struct{ network, addr string }{
		{"udp4", "192.0.2.1:9"},     // TEST-NET-1 (RFC 5737): routed like any internet address, never reached
		{"udp6", "[2001:db8::1]:9"}, // its IPv6 twin (RFC 3849)
	} {
		c, err := net.Dial(probe.network, probe.addr)
		if err != nil {
			continue
		}
		addr, ok := c.LocalAddr().(*net.UDPAddr)
		_ = c.Close() // a UDP socket that sent nothing
		if ok && addr.IP != nil && !addr.IP.IsUnspecified() {
			return addr.IP.String()
		}
	}
	return "127.0.0.1"
}
