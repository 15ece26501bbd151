/**
 * curl's options that take a value, so that a copied command line is read the way curl reads it
 * (`--oauth2-bearer TOKEN URL`: TOKEN is the option's value, not the URL). Data, from curl's own
 * help text: `curl --help all` of curl 7.88.1 and src/tool_listhelp.c of curl/curl (master, 2025),
 * which adds the newer ones (--ech, --variable, --ip-tos, …). Every other option is a switch.
 */
export const CURL_LONG_OPTIONS_WITH_VALUE: ReadonlySet<string> = new Set([
  '--abstract-unix-socket', '--alt-svc', '--aws-sigv4', '--cacert', '--capath', '--cert',
  '--cert-type', '--ciphers', '--config', '--connect-timeout', '--connect-to', '--continue-at',
  '--cookie', '--cookie-jar', '--create-file-mode', '--crlfile', '--curves', '--data',
  '--data-ascii', '--data-binary', '--data-raw', '--data-urlencode', '--delegation', '--dns-interface',
  '--dns-ipv4-addr', '--dns-ipv6-addr', '--dns-servers', '--doh-url', '--dump-header', '--ech',
  '--egd-file', '--engine', '--etag-compare', '--etag-save', '--expect100-timeout', '--form',
  '--form-string', '--ftp-account', '--ftp-alternative-to-user', '--ftp-method', '--ftp-port', '--ftp-ssl-ccc-mode',
  '--happy-eyeballs-timeout-ms', '--haproxy-clientip', '--header', '--help', '--hostpubmd5', '--hostpubsha256',
  '--hsts', '--interface', '--ip-tos', '--ipfs-gateway', '--json', '--keepalive-cnt',
  '--keepalive-time', '--key', '--key-type', '--krb', '--libcurl', '--limit-rate',
  '--local-port', '--login-options', '--mail-auth', '--mail-from', '--mail-rcpt', '--max-filesize',
  '--max-redirs', '--max-time', '--netrc-file', '--noproxy', '--oauth2-bearer', '--output',
  '--output-dir', '--parallel-max', '--pass', '--pinnedpubkey', '--preproxy', '--proto',
  '--proto-default', '--proto-redir', '--proxy', '--proxy-cacert', '--proxy-capath', '--proxy-cert',
  '--proxy-cert-type', '--proxy-ciphers', '--proxy-crlfile', '--proxy-header', '--proxy-key', '--proxy-key-type',
  '--proxy-pass', '--proxy-pinnedpubkey', '--proxy-service-name', '--proxy-tls13-ciphers', '--proxy-tlsauthtype', '--proxy-tlspassword',
  '--proxy-tlsuser', '--proxy-user', '--proxy1.0', '--pubkey', '--quote', '--random-file',
  '--range', '--rate', '--referer', '--request', '--request-mode', '--request-target',
  '--resolve', '--retry', '--retry-delay', '--retry-max-time', '--sasl-authzid', '--service-name',
  '--socks4', '--socks4a', '--socks5', '--socks5-gssapi-service', '--socks5-hostname', '--speed-limit',
  '--speed-time', '--ssl-sessions', '--stderr', '--telnet-option', '--tftp-blksize', '--time-cond',
  '--tls-max', '--tls13-ciphers', '--tlsauthtype', '--tlspassword', '--tlsuser', '--trace',
  '--trace-ascii', '--trace-config', '--unix-socket', '--upload-file', '--url', '--url-query',
  '--user', '--user-agent', '--variable', '--vlan-priority', '--write-out',
]);

/** The single-letter ones (`-d DATA`, `-dDATA`, and last in a bundle: `-sd DATA`). */
export const CURL_SHORT_OPTIONS_WITH_VALUE: ReadonlySet<string> = new Set([
  '-A', '-C', '-D', '-E', '-F', '-H', '-K', '-P', '-Q', '-T', '-U', '-X', '-Y', '-b',
  '-c', '-d', '-e', '-h', '-m', '-o', '-r', '-t', '-u', '-w', '-x', '-y', '-z',
]);
