package runtime

// ParseResolvConf reads the nameserver, search (or domain) and options
// lines of a resolv.conf.
func ParseResolvConf(data []byte) ResolvConf { return parseResolvConf(data) }
