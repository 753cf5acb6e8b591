package truelayer

// CallOption adjusts one call.
type CallOption func(*callOptions)

type callOptions struct {
	async         bool
	psuIP         string
	correlationID string
	redirectURI   string
}

// WithAsync asks TrueLayer to run the request asynchronously (async=true).
// On 202 the client polls results_uri with backoff until the task has
// Succeeded (results are returned as for a synchronous call) or Failed
// (an *Error), within Config.PollTimeout.
func WithAsync() CallOption { return func(o *callOptions) { o.async = true } }

// WithPSUIP sends X-PSU-IP, the end user's IP address. It marks the call as
// user-present, which lifts the PSD2 limit of four unattended calls a day.
func WithPSUIP(ip string) CallOption { return func(o *callOptions) { o.psuIP = ip } }

// WithCorrelationID sends X-Client-Correlation-Id for tracing.
func WithCorrelationID(id string) CallOption {
	return func(o *callOptions) { o.correlationID = id }
}

// WithRedirectURI overrides Config.RedirectURI for Exchange (which must send
// the redirect URI the auth link used, e.g. a loopback URL with a port chosen
// at run time). Other calls ignore it.
func WithRedirectURI(uri string) CallOption {
	return func(o *callOptions) { o.redirectURI = uri }
}

func collect(opts []CallOption) callOptions {
	var o callOptions
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	return o
}
