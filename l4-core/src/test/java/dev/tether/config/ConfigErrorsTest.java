package dev.tether.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every error the parser reports, with its exact message: file:line, the keyword, what was expected. */
class ConfigErrorsTest {

    private static final String BE = "\nbackend be\n timeout connect 1s\n timeout server 1s";

    static Stream<Arguments> errors() {
        return Stream.of(
                // sections
                err("bind :80", "t.cfg:1: 'bind' appears before any section (expected global, defaults, frontend,"
                        + " backend, listen, peers, resolvers, mailers or ring)"),
                err("global foo", "t.cfg:1: 'global' takes no argument, found 'foo'"),
                // log-format
                err("frontend fe\n log-format", "t.cfg:2: 'log-format' expects <string> (quote it when it has"
                        + " spaces)"),
                err("frontend fe\n log-format %ci %cp", "t.cfg:2: 'log-format' expects one <string>: quote it, or"
                        + " escape its spaces, found '%cp'"),
                err("backend be\n log-format %ci", "t.cfg:2: 'log-format' is not allowed in a backend section"
                        + " (allowed in defaults, frontend, listen)"),
                // syslog header keywords
                err("global\n log-tag", "t.cfg:2: 'log-tag' expects <tag>"),
                err("global\n log-tag \"ha proxy\"", "t.cfg:2: 'log-tag' expects a tag of 1 to 48 printable"
                        + " characters without spaces, found 'ha proxy'"),
                err("global\n log-send-hostname a b", "t.cfg:2: 'log-send-hostname' takes at most one <name>, found"
                        + " extra 'b'"),
                err("frontend fe\n log-tag web", "t.cfg:2: 'log-tag' is not supported yet"),
                // environment keywords
                err("global\n setenv A", "t.cfg:2: 'setenv' expects <name> <value>"),
                err("global\n presetenv A b c", "t.cfg:2: 'presetenv' takes only <name> <value>, found extra 'c'"),
                err("global\n unsetenv", "t.cfg:2: 'unsetenv' expects <name> [<name>...]"),
                err("frontend fe\n setenv A b", "t.cfg:2: 'setenv' is not allowed in a frontend section (allowed in"
                        + " global)"),
                // resolvers sections
                err("resolvers", "t.cfg:1: 'resolvers' expects a name"),
                err("resolvers dns\nresolvers dns", "t.cfg:2: 'resolvers' name 'dns' is already used by the"
                        + " resolvers section at t.cfg:1"),
                err("resolvers dns\n nameserver a 10.0.0.1\n nameserver a 10.0.0.2", "t.cfg:3: 'nameserver'"
                        + " nameserver 'a' is already declared in resolvers section 'dns' at t.cfg:2"),
                err("resolvers dns\n nameserver a", "t.cfg:2: 'nameserver' expects <name> <address>[:<port>]"),
                err("resolvers dns\n nameserver a dns.example.com:53", "t.cfg:2: 'nameserver' address"
                        + " 'dns.example.com:53' must be an IPv4 or IPv6 address"),
                err("resolvers dns\n nameserver a tcp@10.0.0.1:53", "t.cfg:2: 'nameserver' address"
                        + " 'tcp@10.0.0.1:53': DNS over TCP is not supported yet (Tether asks name servers over UDP,"
                        + " and over TCP only for truncated answers)"),
                err("resolvers dns\n nameserver a 10.0.0.1:0", "t.cfg:2: 'nameserver' port '0' in '10.0.0.1:0' is"
                        + " out of range (1-65535)"),
                err("resolvers dns\n hold forever 10s", "t.cfg:2: 'hold' status 'forever' is not one of nx, other,"
                        + " refused, timeout, valid, obsolete"),
                err("resolvers dns\n resolve_retries 0", "t.cfg:2: 'resolve_retries' expects a number of at least"
                        + " 1, found '0'"),
                err("resolvers dns\n timeout retry 0", "t.cfg:2: 'timeout retry' expects a time above 0, found"
                        + " '0'"),
                err("resolvers dns\n accepted_payload_size 100", "t.cfg:2: 'accepted_payload_size' expects a"
                        + " size from 512 to 65535, found '100'"),
                err("resolvers dns\n timeout connect 1s", "t.cfg:2: 'timeout connect' is not allowed in a"
                        + " resolvers section (allowed in defaults, listen, backend, ring)"),
                err("backend be\n server s db.example.com:80 resolvers nope\n timeout connect 1s\n timeout server"
                        + " 1s", "t.cfg:2: 'resolvers' server 's' names resolvers section 'nope', which is not"
                        + " declared"),
                err("backend be\n server s 10.0.0.1:80 resolve-prefer ipv5", "t.cfg:2: 'server' option"
                        + " 'resolve-prefer' expects ipv4, ipv6, found 'ipv5'"),
                err("backend be\n server s 10.0.0.1:80 resolve-net 10.0.0.0", "t.cfg:2: 'server' option"
                        + " 'resolve-net' expects networks such as 10.0.0.0/8 or fd00::/8, found '10.0.0.0'"),
                err("backend be\n server s 10.0.0.1:80 resolve-net 10.0.0.0/33", "t.cfg:2: 'server' option"
                        + " 'resolve-net' expects networks such as 10.0.0.0/8 or fd00::/8, found '10.0.0.0/33'"),
                err("backend be\n server s 10.0.0.1:80 resolve-opts keep-ip", "t.cfg:2: 'server' option"
                        + " 'resolve-opts' expects allow-dup-ip, prevent-dup-ip or ignore-weight, found 'keep-ip'"),
                err("program p", "t.cfg:1: 'program' sections are not supported yet"),
                err("global\n log ring@nowhere local0", "t.cfg:2: 'log' target 'ring@nowhere' names ring 'nowhere',"
                        + " which is not declared"),
                err("ring r\n format json", "t.cfg:2: 'format' expects local, rfc3164, rfc5424, priority, short,"
                        + " timed, iso or raw, found 'json'"),
                err("ring r\n size 10", "t.cfg:2: 'size' expects a size from 1024 bytes to 1g, found '10'"),
                err("ring r\n server s 127.0.0.1:514 check", "t.cfg:2: 'server' option 'check' is not supported on a"
                        + " ring's server (only log-proto)"),
                err("ring r\n server s 127.0.0.1:514 log-proto rfc", "t.cfg:2: 'server' option 'log-proto' expects"
                        + " legacy or octet-count, found 'rfc'"),
                err("ring r\n server s 127.0.0.1", "t.cfg:2: 'server' address '127.0.0.1' needs a port"),
                err("ring r\nring r", "t.cfg:2: 'ring' name 'r' is already used by the ring section at t.cfg:1"),
                err("ring r\n backing-file /tmp/x", "t.cfg:2: 'backing-file' is not supported yet: the ring lives in"
                        + " memory"),
                err("frontend", "t.cfg:1: 'frontend' expects a name"),
                err("frontend a/b", "t.cfg:1: 'frontend' name 'a/b' may only contain letters, digits, '-', '_', '.'"
                        + " and ':'"),
                err("backend b from nope", "t.cfg:1: 'backend' inherits from 'defaults nope', which is not declared"
                        + " before this line"),
                err("backend b frm x", "t.cfg:1: 'backend' expects <name> [from <defaults>], found 'b frm x'"),
                err("defaults a b", "t.cfg:1: 'defaults' expects [<name>] [from <defaults>]"),
                err("defaults a\ndefaults a", "t.cfg:2: 'defaults' name 'a' is already used by the defaults section"
                        + " at t.cfg:1"),
                // keyword placement
                err("backend be\n bind :80", "t.cfg:2: 'bind' is not allowed in a backend section (allowed in"
                        + " frontend, listen, peers)"),
                err("backend be\n timeout client 1s", "t.cfg:2: 'timeout client' is not allowed in a backend section"
                        + " (allowed in defaults, frontend, listen)"),
                err("frontend fe\n daemon", "t.cfg:2: 'daemon' is not allowed in a frontend section (allowed in"
                        + " global)"),
                err("global\n server s 1.2.3.4", "t.cfg:2: 'server' is not allowed in a global section (allowed in"
                        + " listen, backend, peers, ring)"),
                err("frontend fe\n bnd :80", "t.cfg:2: 'bnd' is not a known keyword in a frontend section (did you"
                        + " mean 'bind'?)"),
                err("frontend fe\n frobnicate", "t.cfg:2: 'frobnicate' is not a known keyword in a frontend"
                        + " section"),
                err("global\n maxcon 5", "t.cfg:2: 'maxcon' is not a known keyword in a global section (did you"
                        + " mean 'maxconn'?)"),
                err("frontend fe\n no bind :80", "t.cfg:2: 'bind' has no 'no' form"),
                err("defaults\n acl a src 1.2.3.4", "t.cfg:2: 'acl' is only allowed in named defaults sections"
                        + " (write 'defaults <name>'), as in HAProxy"),
                // HTTP-only and not-yet keywords
                err("frontend fe\n http-request deny", "t.cfg:2: 'http-request' is HTTP-only: Tether proxies TCP"
                        + " only"),
                err("frontend fe\n option httplog", "t.cfg:2: 'option httplog' is HTTP-only: Tether proxies TCP"
                        + " only"),
                err("frontend fe\n option forwardfor", "t.cfg:2: 'option forwardfor' is HTTP-only: Tether proxies"
                        + " TCP only"),
                err("backend be\n option http-server-close", "t.cfg:2: 'option http-server-close' is HTTP-only:"
                        + " Tether proxies TCP only"),
                err("frontend fe\n bind :80\n stats enable", "t.cfg:3: 'stats' needs 'mode http' in frontend 'fe':"
                        + " the statistics page is served over HTTP by a section of its own"),
                err("listen st\n mode http\n bind :80", "t.cfg:2: 'mode' 'http' is not available: Tether proxies TCP"
                        + " only; a listen section in mode http may only serve the statistics page ('stats enable')"),
                err("listen st\n mode http\n bind :80\n stats enable\n server s 127.0.0.1:81", "t.cfg:2: 'mode'"
                        + " 'http' is only available for a section that serves the statistics page and proxies"
                        + " nothing: listen 'st' has servers"),
                err("frontend st\n mode http\n stats enable", "t.cfg:1: 'frontend' 'st' has no 'bind' line for its"
                        + " statistics page"),
                err("backend be\n stats enable", "t.cfg:2: 'stats enable' is not allowed in a backend section"
                        + " (allowed in frontend, listen)"),
                err("frontend st\n mode http\n bind :80\n stats uri stats", "t.cfg:4: 'stats uri' expects a path"
                        + " starting with '/', found 'stats'"),
                err("frontend st\n mode http\n bind :80\n stats auth admin", "t.cfg:4: 'stats auth' expects"
                        + " <user>:<password>, found 'admin'"),
                err("frontend st\n mode http\n bind :80\n stats enable now", "t.cfg:4: 'stats enable' takes no"
                        + " argument, found 'now'"),
                err("frontend st\n mode http\n bind :80\n stats scope be", "t.cfg:4: 'stats scope' is not"
                        + " supported yet"),
                err("backend be\n cookie SRV insert", "t.cfg:2: 'cookie' is HTTP-only: Tether proxies TCP only"),
                err("frontend fe\n timeout http-request 5s", "t.cfg:2: 'timeout http-request' is HTTP-only: Tether"
                        + " proxies TCP only"),
                err("backend be\n timeout peers 5s", "t.cfg:2: 'timeout peers' is not supported yet"),
                err("backend be\n timeout conect 5s", "t.cfg:2: 'timeout conect' is not supported yet (did you"
                        + " mean 'timeout connect'?)"),
                err("backend be\n option independent-streams", "t.cfg:2: 'option independent-streams' is not"
                        + " supported yet"),
                err("backend be\n persist rdp-cookie", "t.cfg:2: 'persist' 'rdp-cookie' is provided by the rdp-cookie"
                        + " module, which is not loaded (add its jar to the class path, as the tether launcher does)"),
                err("backend be\n use-server s1", "t.cfg:2: 'use-server' expects <server> if|unless <condition>"),
                err("backend be\n use-server s2 if TRUE\n server s1 10.0.0.1:80", "t.cfg:2: 'use-server' names 's2',"
                        + " which is not a server of backend 'be'"),
                err("backend be\n use-server %[src if TRUE", "t.cfg:2: 'use-server' '%[' without ']' in '%[src'"),
                err("defaults\n mode http\nlisten l\n bind :80\n server s 127.0.0.1:81", "t.cfg:3: 'listen' 'l'"
                        + " inherits 'mode http' from its defaults section (t.cfg:2): Tether proxies TCP only; add"
                        + " 'mode tcp' to it"),
                err("defaults\n mode http\nbackend b\n server s 127.0.0.1:81", "t.cfg:3: 'backend' 'b' inherits"
                        + " 'mode http' from its defaults section (t.cfg:2): Tether proxies TCP only; add 'mode tcp'"
                        + " to it"),
                err("defaults\n option httplog\nfrontend fe\n option httplog", "t.cfg:4: 'option httplog' is"
                        + " HTTP-only: Tether proxies TCP only"),
                err("frontend fe\n errorfile 503 /x.http", "t.cfg:2: 'errorfile' is HTTP-only: Tether proxies TCP"
                        + " only"),
                err("frontend fe\n option dontlognull now", "t.cfg:2: 'option dontlognull' takes no argument, found"
                        + " 'now'"),
                err("backend be\n mode http", "t.cfg:2: 'mode' 'http' is not available: Tether proxies TCP only"),
                err("frontend fe\n mode udp", "t.cfg:2: 'mode' expects tcp, found 'udp'"),
                err("frontend fe\n option tcplog clf", "t.cfg:2: 'option tcplog' 'clf' is not supported yet"),
                // scalars
                err("frontend fe\n maxconn lots", "t.cfg:2: 'maxconn' 'lots' is not an integer"),
                err("frontend fe\n maxconn", "t.cfg:2: 'maxconn' expects <number>"),
                err("frontend fe\n maxconn 1 2", "t.cfg:2: 'maxconn' takes only <number>, found extra '2'"),
                err("global\n hard-stop-after 5y", "t.cfg:2: 'hard-stop-after' unknown time unit 'y' in '5y'"
                        + " (expected us, ms, s, m, h or d)"),
                err("backend be\n retries -1", "t.cfg:2: 'retries' '-1' is not an integer"),
                err("frontend fe\n id 0", "t.cfg:2: 'id' must be a positive number"),
                // bind
                err("frontend fe\n bind 10.0.0.1", "t.cfg:2: 'bind' address '10.0.0.1' needs a port (TCP listeners"
                        + " always have one)"),
                err("frontend fe\n bind :80 ssl crt /x.pem", "t.cfg:2: 'ssl' is not available on bind lines:"
                        + " Tether does not terminate TLS (it relays TLS to the servers)"),
                err("frontend fe\n bind :80 accept-netscaler-cip", "t.cfg:2: 'accept-netscaler-cip' is not"
                        + " supported yet (bind option)"),
                err("frontend fe\n bind :80 fast", "t.cfg:2: 'bind' has unknown option 'fast' (known: name,"
                        + " maxconn, backlog, v4v6, v6only, accept-proxy, tcp-ut)"),
                err("frontend fe\n bind /run/app.sock", "t.cfg:2: 'bind' UNIX socket '/run/app.sock' is not"
                        + " supported yet"),
                err("frontend fe\n bind fd@3", "t.cfg:2: 'bind' address family 'fd@' is not supported yet"),
                err("frontend fe\n bind udp@:53", "t.cfg:2: 'bind' address 'udp@:53' is not TCP: Tether proxies TCP"
                        + " only"),
                err("frontend fe\n bind :90-80", "t.cfg:2: 'bind' port range '90-80' in ':90-80' ends before it"
                        + " starts"),
                err("frontend fe\n bind :70000", "t.cfg:2: 'bind' port '70000' in ':70000' is out of range"
                        + " (0-65535)"),
                err("frontend fe\n bind :80,", "t.cfg:2: 'bind' has an empty address in ':80,'"),
                err("frontend fe\n bind :80 name", "t.cfg:2: 'bind' option 'name' needs a value"),
                // server
                err("backend be\n server s1 10.0.0.1:80 minconn 10", "t.cfg:2: 'minconn' is not supported yet"
                        + " (server option)"),
                err("backend be\n server s1 10.0.0.1:80 proxy-v2-options ssl", "t.cfg:2: 'server' option"
                        + " 'proxy-v2-options' 'ssl' is not available: Tether does not terminate TLS, so it has no TLS"
                        + " facts to send"),
                err("backend be\n server s1 10.0.0.1:443 ssl", "t.cfg:2: 'ssl' is not available on server lines:"
                        + " Tether does not speak TLS itself (it relays the client's TLS to the server)"),
                err("backend be\n server s1 10.0.0.1:80 speedy", "t.cfg:2: 'server' has unknown option"
                        + " 'speedy'"),
                err("backend be\n server s1", "t.cfg:2: 'server' expects <name> <address>[:port] [options]"),
                err("backend be\n server s1 :80", "t.cfg:2: 'server' address ':80' has no host (use 0.0.0.0 or *"
                        + " for the client's destination)"),
                err("backend be\n server s1 10.0.0.1:0", "t.cfg:2: 'server' port '0' in '10.0.0.1:0' is out of"
                        + " range (1-65535)"),
                err("backend be\n server s1 10.0.0.1:http", "t.cfg:2: 'server' port 'http' in '10.0.0.1:http' is"
                        + " not a number"),
                err("backend be\n server s1 [::1:80", "t.cfg:2: 'server' address '[::1:80' misses the closing"
                        + " ']'"),
                err("backend be\n server s1 10.0.0.1\n server s1 10.0.0.2", "t.cfg:3: 'server' name 's1' is"
                        + " already used in backend 'be' at t.cfg:2"),
                err("backend be\n server s1 10.0.0.1\n server s2 10.0.0.2 id 1", "t.cfg:3: 'server' 's2' gets id 1,"
                        + " already used by server 's1' at t.cfg:2 (servers without 'id' take their position)"),
                // server options
                err("backend be\n server s1 10.0.0.1:80 chek", "t.cfg:2: 'server' has unknown option 'chek' (did you"
                        + " mean 'check'?)"),
                err("backend be\n server s1 10.0.0.1:80 weight 300", "t.cfg:2: 'server' option 'weight' expects a"
                        + " number from 0 to 256, found '300'"),
                err("backend be\n server s1 10.0.0.1:80 weight", "t.cfg:2: 'server' option 'weight' needs a value"),
                err("backend be\n server s1 10.0.0.1:80 inter 0", "t.cfg:2: 'server' option 'inter' expects a delay"
                        + " above 0, found '0'"),
                err("backend be\n server s1 10.0.0.1:80 fastinter 5y", "t.cfg:2: 'server' option 'fastinter'"
                        + " unknown time unit 'y' in '5y' (expected us, ms, s, m, h or d)"),
                err("backend be\n server s1 10.0.0.1:80 rise 0", "t.cfg:2: 'server' option 'rise' expects a number"
                        + " from 1 to 2147483647, found '0'"),
                err("backend be\n server s1 10.0.0.1:80 port 70000", "t.cfg:2: 'server' option 'port' expects a"
                        + " number from 1 to 65535, found '70000'"),
                err("backend be\n server s1 10.0.0.1:80 addr a:b", "t.cfg:2: 'server' option 'addr' expects an IPv4"
                        + " or IPv6 address or a host name, found 'a:b'"),
                err("backend be\n server s1 10.0.0.1:80 maxconn -1", "t.cfg:2: 'server' option 'maxconn' expects a"
                        + " number from 0 to 2147483647, found '-1'"),
                err("backend be\n server s1 10.0.0.1:80 error-limit 0", "t.cfg:2: 'server' option 'error-limit'"
                        + " expects a number from 1 to 2147483647, found '0'"),
                err("backend be\n server s1 10.0.0.1:80 observe layer7", "t.cfg:2: 'server' option 'observe'"
                        + " 'layer7' is not available: Tether proxies TCP only and observes connection outcomes"
                        + " (layer4)"),
                err("backend be\n server s1 10.0.0.1:80 observe all", "t.cfg:2: 'server' option 'observe' expects"
                        + " layer4, none, found 'all'"),
                err("backend be\n server s1 10.0.0.1:80 on-error retry", "t.cfg:2: 'server' option 'on-error'"
                        + " expects fastinter, fail-check, sudden-death, mark-down, found 'retry'"),
                err("backend be\n server s1 10.0.0.1:80 on-marked-down kill", "t.cfg:2: 'server' option"
                        + " 'on-marked-down' expects shutdown-sessions, evict-sessions, found 'kill'"),
                err("backend be\n server s1 10.0.0.1:80 on-marked-up kill", "t.cfg:2: 'server' option"
                        + " 'on-marked-up' expects shutdown-backup-sessions, evict-backup-sessions, found 'kill'"),
                err("backend be\n server s1 10.0.0.1:80 source 10.0.0.2:1024-2048", "t.cfg:2: 'server' source port"
                        + " range '1024-2048' in '10.0.0.2:1024-2048' is not supported: Tether binds one source"
                        + " port, or lets the system choose one when none is given"),
                err("backend be\n server s1 10.0.0.1:80 source 10.0.0.2 usesrc client", "t.cfg:2: 'server' option"
                        + " 'usesrc' is not available: Tether does not connect from the client's address"
                        + " (transparent proxying)"),
                err("backend be\n server s1 10.0.0.1:80 source 10.0.0.2 interface eth0", "t.cfg:2: 'server'"
                        + " option 'interface' is not supported yet: the source is an address, not an interface"),
                err("backend be\n server s1 10.0.0.1:80 init-addr last,dns", "t.cfg:2: 'server' option 'init-addr'"
                        + " method 'dns' is not last, libc, none or an IP address"),
                err("backend be\n server s1 10.0.0.1:80 init-addr libc,libc", "t.cfg:2: 'server' option"
                        + " 'init-addr' names 'libc' twice"),
                err("backend be\n server s1 10.0.0.1:80 init-addr libc,", "t.cfg:2: 'server' option 'init-addr'"
                        + " has an empty method in 'libc,'"),
                err("backend be\n server s1 10.0.0.1:80 id 0", "t.cfg:2: 'server' option 'id' expects a number"
                        + " from 1 to 2147483647, found '0'"),
                err("backend be\n server s1 10.0.0.1:80 set-proxy-v2-tlv-fmt(300) x", "t.cfg:2: 'server' option"
                        + " 'set-proxy-v2-tlv-fmt(300)' needs a TLV type from 0 to 255 (decimal or 0x-hex), found '300'"),
                err("backend be\n server s1 10.0.0.1:80 proxy-v2-options crc32c,bogus", "t.cfg:2: 'server'"
                        + " option 'proxy-v2-options' has unknown value 'bogus' (known: authority, unique-id, crc32c)"),
                err("backend be\n server s1 10.0.0.1:80 check-ssl", "t.cfg:2: 'check-ssl' is not available on"
                        + " server lines: Tether does not speak TLS itself (it relays the client's TLS to the server)"),
                // default-server and server-template
                err("backend be\n default-server id 3", "t.cfg:2: 'default-server' option 'id' is not allowed on"
                        + " default-server lines: each server has its own id"),
                err("defaults\n default-server weight 999", "t.cfg:2: 'default-server' option 'weight' expects a"
                        + " number from 0 to 256, found '999'"),
                err("frontend fe\n default-server check", "t.cfg:2: 'default-server' is not allowed in a frontend"
                        + " section (allowed in defaults, listen, backend, peers)"),
                err("defaults\n server-template s 3 db:5432", "t.cfg:2: 'server-template' is not allowed in a"
                        + " defaults section (allowed in listen, backend)"),
                err("backend be\n server-template s 3", "t.cfg:2: 'server-template' expects <prefix> <num |"
                        + " low-high> <host>[:port] [options]"),
                err("backend be\n server-template s x db:5432", "t.cfg:2: 'server-template' expects a number of"
                        + " servers or a range low-high, found 'x'"),
                err("backend be\n server-template s 5-3 db:5432", "t.cfg:2: 'server-template' range '5-3' has no"
                        + " server (expected a number above 0, or low-high with low <= high)"),
                err("backend be\n server-template s 0 db:5432", "t.cfg:2: 'server-template' range '0' has no"
                        + " server (expected a number above 0, or low-high with low <= high)"),
                err("backend be\n server-template s 1-100000 db:5432", "t.cfg:2: 'server-template' range"
                        + " '1-100000' makes more than 65536 servers"),
                err("backend be\n server-template s 2 db:5432 id 4", "t.cfg:2: 'server-template' option 'id' is"
                        + " not allowed on server-template lines: each server takes its position as id"),
                err("backend be\n server s2 10.0.0.1\n server-template s 3 db:5432", "t.cfg:3: 'server' name 's2'"
                        + " is already used in backend 'be' at t.cfg:2"),
                // backend options
                err("backend be\n option redispatch x", "t.cfg:2: 'option redispatch' expects an integer interval,"
                        + " found 'x'"),
                err("backend be\n no option redispatch 2", "t.cfg:2: 'option redispatch' takes no argument, found"
                        + " '2'"),
                err("backend be\n option allbackups now", "t.cfg:2: 'option allbackups' takes no argument, found"
                        + " 'now'"),
                err("backend be\n no option tcp-check", "t.cfg:2: 'option tcp-check' has no 'no' form"),
                err("frontend fe\n option persist", "t.cfg:2: 'option persist' is not allowed in a frontend section"
                        + " (allowed in defaults, listen, backend)"),
                err("backend be\n fullconn -1", "t.cfg:2: 'fullconn' '-1' is not an integer"),
                err("backend be\n timeout check 5x", "t.cfg:2: 'timeout check' unknown time unit 'x' in '5x'"
                        + " (expected us, ms, s, m, h or d)"),
                err("backend be\n hash-type", "t.cfg:2: 'hash-type' expects map-based|consistent"
                        + " [sdbm|djb2|wt6|crc32|none] [avalanche]"),
                err("backend be\n hash-type ring", "t.cfg:2: 'hash-type' expects map-based|consistent"
                        + " [sdbm|djb2|wt6|crc32|none] [avalanche], found 'ring'"),
                err("backend be\n hash-type consistent avalanche", "t.cfg:2: 'hash-type' 'avalanche' must follow a"
                        + " hash function (sdbm, djb2, wt6, crc32 or none)"),
                err("backend be\n hash-type consistent md5", "t.cfg:2: 'hash-type' 'md5' is not a hash function"
                        + " (sdbm, djb2, wt6, crc32, none)"),
                err("backend be\n hash-type consistent sdbm fast", "t.cfg:2: 'hash-type' expects 'avalanche' after"
                        + " the hash function, found 'fast'"),
                err("backend be\n hash-type map-based sdbm avalanche x", "t.cfg:2: 'hash-type' takes only <method>"
                        + " [<function>] [avalanche], found extra 'x'"),
                err("backend be\n hash-balance-factor 100", "t.cfg:2: 'hash-balance-factor' must be 0 (off) or"
                        + " above 100, found '100'"),
                err("backend be\n evict-rate fast", "t.cfg:2: 'evict-rate' expects <sessions>/s (such as 100/s) or"
                        + " a number, found 'fast'"),
                err("backend be\n evict-rate 10/m", "t.cfg:2: 'evict-rate' expects <sessions>/s (such as 100/s) or"
                        + " a number, found '10/m'"),
                err("backend be\n evict-grace soon", "t.cfg:2: 'evict-grace' 'soon' is not a delay"),
                err("frontend fe\n clitcpka-idle 0", "t.cfg:2: 'clitcpka-idle' must be between 1 and 32767 seconds,"
                        + " found 0"),
                err("backend be\n srvtcpka-cnt 500", "t.cfg:2: 'srvtcpka-cnt' must be between 1 and 127, found 500"),
                err("backend be\n clitcpka-idle 10", "t.cfg:2: 'clitcpka-idle' is not allowed in a backend section"
                        + " (allowed in defaults, frontend, listen)"),
                err("frontend fe\n option clitcpka now", "t.cfg:2: 'option clitcpka' takes no argument, found 'now'"),
                err("backend be\n source 10.0.0.1:1000-2000", "t.cfg:2: 'source' source port range '1000-2000' in"
                        + " '10.0.0.1:1000-2000' is not supported: Tether binds one source port, or lets the system"
                        + " choose one when none is given"),
                err("backend be\n source 10.0.0.1 usesrc clientip", "t.cfg:2: 'source' option 'usesrc' is not"
                        + " available: Tether does not connect from the client's address (transparent proxying)"),
                err("backend be\n source", "t.cfg:2: 'source' expects <address>[:<port>]"),
                // agent-check
                err("backend be\n server s1 10.0.0.1:80 agent-check", "t.cfg:2: 'server' 'server be/s1' has"
                        + " 'agent-check' but neither 'agent-port' nor 'port': the agent check needs the port its"
                        + " agent listens on"),
                err("backend be\n server s1 10.0.0.1:80 agent-port 99999", "t.cfg:2: 'server' option 'agent-port'"
                        + " expects a number from 1 to 65535, found '99999'"),
                err("backend be\n server s1 10.0.0.1:80 agent-addr agent.local", "t.cfg:2: 'server' option"
                        + " 'agent-addr' expects an IPv4 or IPv6 address, found 'agent.local'"),
                err("backend be\n server s1 10.0.0.1:80 agent-inter 0", "t.cfg:2: 'server' option 'agent-inter'"
                        + " expects a delay above 0, found '0'"),
                // track
                err("backend b1\n server s 10.0.0.1:1 check\nbackend b2\n server t 10.0.0.1:1 check track b1/s",
                        "t.cfg:4: 'server' 'server b2/t': unable to enable checks and tracking at the same time!"),
                err("backend b2\n server t 10.0.0.1:1 track nob/s", "t.cfg:2: 'server' 'server b2/t': unable to"
                        + " find required proxy 'nob' for tracking."),
                err("backend b1\n server s 10.0.0.1:1 check\nbackend b2\n server t 10.0.0.1:1 track b1/nos",
                        "t.cfg:4: 'server' 'server b2/t': unable to find required server 'nos' for tracking."),
                err("backend b1\n server nc 10.0.0.1:1\nbackend b2\n server t 10.0.0.1:1 track b1/nc",
                        "t.cfg:4: 'server' 'server b2/t': unable to use b1/nc for tracking as it does not have any"
                        + " check nor agent enabled."),
                err("backend b2\n server t 10.0.0.1:1 track u\n server u 10.0.0.1:1 track t", "t.cfg:2: 'server'"
                        + " 'server b2/t': unable to track b2/t as it belongs to a tracking chain looping back to"
                        + " b2/t."),
                err("backend b2\n server t 10.0.0.1:1 track b1/", "t.cfg:2: 'server' option 'track' expects"
                        + " [<backend>/]<server>, found 'b1/'"),
                // option httpchk, http-check
                err("backend be\n option httpchk GET / HTTP/1.1 extra", "t.cfg:2: 'option httpchk' expects [[<method>]"
                        + " <uri> [<version>]], found 4 words (quote a version that hides headers, or use 'http-check"
                        + " send hdr')"),
                err("backend be\n option httpchk GET \"/a b\"", "t.cfg:2: 'option httpchk' has a uri with a space or"
                        + " control character: '/a b'"),
                err("backend be\n option httpchk GET / \"HTTP/1.1\\r\\nbroken\"", "t.cfg:2: 'option httpchk' has"
                        + " 'broken' after the version, which is not a header line (<name>: <value>)"),
                err("backend be\n http-check send meth", "t.cfg:2: 'http-check send' option 'meth' needs a value"),
                err("backend be\n http-check send hdr Host", "t.cfg:2: 'http-check send' option 'hdr' expects <name>"
                        + " <value>"),
                err("backend be\n http-check send hdr \"Ho st\" x", "t.cfg:2: 'http-check send' has a header name"
                        + " that is not a token: 'Ho st'"),
                err("backend be\n http-check send uri-lf /%[src]", "t.cfg:2: 'http-check send' option 'uri-lf' is not"
                        + " supported yet (log-format strings)"),
                err("backend be\n http-check send uri /a\n http-check send uri /b", "t.cfg:3: 'http-check send' is"
                        + " the second send rule (the first is at t.cfg:2): one check sends one request ('http-check"
                        + " connect', which would open another connection, is not supported yet)"),
                err("backend be\n http-check expect", "t.cfg:2: 'http-check expect' expects [min-recv <n>] [!]"
                        + " status|rstatus|string|rstring <pattern> [comment <message>]"),
                err("backend be\n http-check expect status 2xx", "t.cfg:2: 'http-check expect' match 'status' expects"
                        + " status codes of three digits and ranges such as 200-399, separated by commas; found"
                        + " '2xx'"),
                err("backend be\n http-check expect status 399-200", "t.cfg:2: 'http-check expect' match 'status' has"
                        + " the range '399-200', which ends before it starts"),
                err("backend be\n http-check expect rstring (", "t.cfg:2: 'http-check expect' pattern '(' is not a"
                        + " valid regular expression: Unclosed group"),
                err("backend be\n http-check expect hdr name Server", "t.cfg:2: 'http-check expect' match 'hdr' is not"
                        + " supported yet"),
                err("backend be\n http-check disable-on-404 now", "t.cfg:2: 'http-check disable-on-404' takes no"
                        + " argument, found 'now'"),
                err("backend be\n http-check connect", "t.cfg:2: 'http-check connect' is not supported yet"),
                err("frontend fe\n option httpchk", "t.cfg:2: 'option httpchk' is not allowed in a frontend section"
                        + " (allowed in defaults, listen, backend)"),
                // tcp-check
                err("backend be\n tcp-check", "t.cfg:2: 'tcp-check' expects one of connect, send, send-binary,"
                        + " expect, comment"),
                err("backend be\n tcp-check bogus", "t.cfg:2: 'tcp-check bogus' is not a known keyword in a backend"
                        + " section"),
                err("backend be\n tcp-check sned x", "t.cfg:2: 'tcp-check sned' is not a known keyword in a backend"
                        + " section (did you mean 'tcp-check send'?)"),
                err("frontend fe\n tcp-check send x", "t.cfg:2: 'tcp-check send' is not allowed in a frontend"
                        + " section (allowed in defaults, listen, backend)"),
                err("backend be\n tcp-check connect port http", "t.cfg:2: 'tcp-check connect' option 'port' expects"
                        + " a port number, found 'http' (sample expressions are not supported yet)"),
                err("backend be\n tcp-check connect port 0", "t.cfg:2: 'tcp-check connect' option 'port' expects a"
                        + " port from 1 to 65535, found '0'"),
                err("backend be\n tcp-check connect addr db.local", "t.cfg:2: 'tcp-check connect' option 'addr'"
                        + " expects an IPv4 or IPv6 address, found 'db.local'"),
                err("backend be\n tcp-check connect ssl", "t.cfg:2: 'tcp-check connect' option 'ssl' is not"
                        + " available: Tether's checks do not speak TLS"),
                err("backend be\n tcp-check connect send-proxy", "t.cfg:2: 'tcp-check connect' option 'send-proxy'"
                        + " is not supported yet"),
                err("backend be\n tcp-check connect fast", "t.cfg:2: 'tcp-check connect' has unknown option 'fast'"
                        + " (known: default, port, addr, linger, comment)"),
                err("backend be\n tcp-check connect comment", "t.cfg:2: 'tcp-check connect' option 'comment' needs"
                        + " a value"),
                err("backend be\n tcp-check send", "t.cfg:2: 'tcp-check send' expects <string> [comment"
                        + " <message>]"),
                err("backend be\n tcp-check send \"\"", "t.cfg:2: 'tcp-check send' expects a non-empty string"),
                err("backend be\n tcp-check send PING now", "t.cfg:2: 'tcp-check send' has unexpected 'now' after"
                        + " the data (only 'comment <message>' may follow; quote data that has spaces)"),
                err("backend be\n tcp-check send PING comment a b", "t.cfg:2: 'tcp-check send' has unexpected 'b'"
                        + " after the comment"),
                err("backend be\n tcp-check send-binary 0G", "t.cfg:2: 'tcp-check send-binary' '0G' is not"
                        + " hexadecimal (bad digit at position 2)"),
                err("backend be\n tcp-check send-binary ABC", "t.cfg:2: 'tcp-check send-binary' 'ABC' is not an"
                        + " even number of hexadecimal digits"),
                err("backend be\n tcp-check send-lf %[src]", "t.cfg:2: 'tcp-check send-lf' is not supported yet"),
                err("backend be\n tcp-check set-var(check.x) int(1)", "t.cfg:2: 'tcp-check set-var(check.x)' is"
                        + " not supported yet"),
                err("backend be\n tcp-check expect", "t.cfg:2: 'tcp-check expect' expects [min-recv <n>] [!]"
                        + " string|rstring|binary|rbinary <pattern> [comment <message>]"),
                err("backend be\n tcp-check expect rstring (", "t.cfg:2: 'tcp-check expect' pattern '(' is not a"
                        + " valid regular expression: Unclosed group"),
                err("backend be\n tcp-check expect rbinary [", "t.cfg:2: 'tcp-check expect' pattern '[' is not a"
                        + " valid regular expression: Unclosed character class"),
                err("backend be\n tcp-check expect binary 2B5", "t.cfg:2: 'tcp-check expect' '2B5' is not an even"
                        + " number of hexadecimal digits"),
                err("backend be\n tcp-check expect string", "t.cfg:2: 'tcp-check expect' match 'string' needs a"
                        + " pattern"),
                err("backend be\n tcp-check expect string a string b", "t.cfg:2: 'tcp-check expect' has a second"
                        + " match 'string' (one per rule)"),
                err("backend be\n tcp-check expect string-lf %[src]", "t.cfg:2: 'tcp-check expect' match"
                        + " 'string-lf' is not supported yet"),
                err("backend be\n tcp-check expect ok-status L7OK string +OK", "t.cfg:2: 'tcp-check expect' option"
                        + " 'ok-status' is not supported yet"),
                err("backend be\n tcp-check expect min-recv -2 string x", "t.cfg:2: 'tcp-check expect' option"
                        + " 'min-recv' expects -1 or more, found '-2'"),
                err("backend be\n tcp-check expect min-recv x string x", "t.cfg:2: 'tcp-check expect' option"
                        + " 'min-recv' expects an integer, found 'x'"),
                err("backend be\n tcp-check expect strng x", "t.cfg:2: 'tcp-check expect' has unknown option"
                        + " 'strng' (known: min-recv, comment, !, string, rstring, binary, rbinary)"),
                err("backend be\n tcp-check comment", "t.cfg:2: 'tcp-check comment' expects <text>"),
                err("backend be\n tcp-check comment first\n tcp-check send x\n tcp-check connect", "t.cfg:3:"
                        + " 'tcp-check send' comes before the first 'tcp-check connect' (at t.cfg:4): a ruleset with"
                        + " connect rules must start with one (only comments may precede it)"),
                err("defaults\n tcp-check expect string x\n tcp-check connect\nbackend be", "t.cfg:2:"
                        + " 'tcp-check expect' comes before the first 'tcp-check connect' (at t.cfg:3): a ruleset with"
                        + " connect rules must start with one (only comments may precede it)"),
                // runtime API and global checks
                err("global\n stats socket 127.0.0.1:9999", "t.cfg:2: 'stats socket' '127.0.0.1:9999' is not a Unix"
                        + " socket path: the runtime API listens on Unix sockets only"),
                err("global\n stats socket ipv4@127.0.0.1:9999 level admin", "t.cfg:2: 'stats socket'"
                        + " 'ipv4@127.0.0.1:9999' is not a Unix socket path: the runtime API listens on Unix sockets"
                        + " only"),
                err("global\n stats socket", "t.cfg:2: 'stats socket' expects <path> [mode <octal>] [level"
                        + " user|operator|admin]"),
                err("global\n stats socket /run/t.sock mode 999", "t.cfg:2: 'stats socket' option 'mode' expects"
                        + " octal permissions such as 600, found '999'"),
                err("global\n stats socket /run/t.sock level root", "t.cfg:2: 'stats socket' option 'level' expects"
                        + " user, operator or admin, found 'root'"),
                err("global\n stats socket /run/t.sock level", "t.cfg:2: 'stats socket' option 'level' needs a"
                        + " value"),
                err("global\n stats socket /run/t.sock expose-fd listeners", "t.cfg:2: 'stats socket' option"
                        + " 'expose-fd' is not supported yet"),
                err("global\n lua-load /etc/haproxy/x.lua", "t.cfg:2: 'lua-load' is not available: Tether runs no"
                        + " Lua scripts"),
                err("global\n unix-bind prefix /run/haproxy", "t.cfg:2: 'unix-bind' is not supported yet"),
                err("backend be\n load-server-state-from-file always", "t.cfg:2: 'load-server-state-from-file'"
                        + " expects global, local or none, found 'always'"),
                err("global\n stats socket /run/t.sock fast", "t.cfg:2: 'stats socket' has unknown option 'fast'"
                        + " (known: mode, level, uid, gid, user, group)"),
                err("global\n stats socket /run/t.sock uid haproxy", "t.cfg:2: 'stats socket' option 'uid' expects a"
                        + " number, found 'haproxy'"),
                err("listen st\n bind :80\n option httplog\n server s 127.0.0.1:81", "t.cfg:3: 'option httplog' is"
                        + " HTTP-only: Tether proxies TCP only"),
                err("global\n stats socket /run/t.sock\n stats socket /run/t.sock", "t.cfg:3: 'stats socket' path"
                        + " '/run/t.sock' is already used by the stats socket at t.cfg:2"),
                err("global\n stats timeout 0", "t.cfg:2: 'stats timeout' expects a delay above 0"),
                err("global\n stats maxconn 10", "t.cfg:2: 'stats maxconn' is not supported yet"),
                err("backend be\n stats socket /run/t.sock", "t.cfg:2: 'stats socket' is not allowed in a backend"
                        + " section (allowed in global)"),
                err("global\n spread-checks 51", "t.cfg:2: 'spread-checks' expects a percentage from 0 to 50, found"
                        + " '51'"),
                err("global\n spread-checks", "t.cfg:2: 'spread-checks' expects <0..50>"),
                err("global\n spin-before-sleep 50", "t.cfg:2: 'spin-before-sleep' expects at most 10ms: longer"
                        + " spins burn a core for little gain, use 'busy-polling' to never sleep"),
                err("global\n spin-before-sleep 5ns", "t.cfg:2: 'spin-before-sleep' unknown time unit 'ns' in"
                        + " '5ns' (expected us, ms or s)"),
                err("global\n spin-before-sleep", "t.cfg:2: 'spin-before-sleep' expects <time>"),
                err("global\n busy-polling on", "t.cfg:2: 'busy-polling' takes no argument, found 'on'"),
                err("frontend fe\n busy-polling", "t.cfg:2: 'busy-polling' is not allowed in a frontend section"
                        + " (allowed in global)"),
                // external checks
                err("backend be\n option external-check\n external-check command /bin/true\n server s 127.0.0.1:1"
                        + " check", "t.cfg:2: 'option external-check' needs 'external-check' in the global section,"
                        + " which allows external checks"),
                err("global\n external-check\nbackend be\n option external-check", "t.cfg:4: 'option"
                        + " external-check' needs an 'external-check command' in backend 'be' or its defaults"),
                err("global\n external-check\ndefaults\n external-check command check.sh\nbackend be\n option"
                        + " external-check", "t.cfg:4: 'external-check command' 'check.sh' is not an absolute path and"
                        + " 'external-check path' is not set, so it cannot be found"),
                err("global\n external-check now", "t.cfg:2: 'external-check' takes no argument, found 'now'"),
                err("backend be\n external-check command", "t.cfg:2: 'external-check command' expects <command>"),
                err("backend be\n external-check path /bin /usr/bin", "t.cfg:2: 'external-check path' takes only"
                        + " <path>, found extra '/usr/bin'"),
                err("backend be\n option external-check now", "t.cfg:2: 'option external-check' takes no argument,"
                        + " found 'now'"),
                // mailers and email alerts
                err("mailers m\n mailer a 127.0.0.1", "t.cfg:2: 'mailer' address '127.0.0.1' needs a port"),
                err("mailers m\n mailer a", "t.cfg:2: 'mailer' expects <name> <address>:<port>"),
                err("mailers m\nmailers m", "t.cfg:2: 'mailers' name 'm' is already used by the mailers section at"
                        + " t.cfg:1"),
                err("mailers m\n mailer a 127.0.0.1:25\n mailer a 127.0.0.1:26", "t.cfg:3: 'mailer' mailer 'a' is"
                        + " already declared in mailers section 'm' at t.cfg:2"),
                err("mailers m\n timeout mail", "t.cfg:2: 'timeout mail' expects <time>"),
                err("mailers m\n timeout mail 0", "t.cfg:2: 'timeout mail' expects a time above 0, found '0'"),
                err("backend be\n mailer a 127.0.0.1:25", "t.cfg:2: 'mailer' is not allowed in a backend section"
                        + " (allowed in mailers)"),
                err("backend be\n email-alert level loud", "t.cfg:2: 'email-alert level' expects one of emerg,"
                        + " alert, crit, err, warning, notice, info, debug, found 'loud'"),
                err("backend be\n email-alert to <ops@example.com>", "t.cfg:2: 'email-alert to' expects"
                        + " <emailaddr> without spaces, control characters or angle brackets, found"
                        + " '<ops@example.com>'"),
                err("backend be\n email-alert mailers nosuch\n email-alert from a@x\n email-alert to b@x", "t.cfg:2:"
                        + " 'email-alert mailers' names 'nosuch', which is not a mailers section (in backend 'be')"),
                // balance
                err("backend be\n balance uri", "t.cfg:2: 'balance' 'uri' is HTTP-only: Tether proxies TCP only"),
                err("backend be\n balance hdr(host)", "t.cfg:2: 'balance' 'hdr(host)' is HTTP-only: Tether proxies"
                        + " TCP only"),
                err("backend be\n balance fastest", "t.cfg:2: 'balance' expects one of roundrobin, static-rr,"
                        + " leastconn, first, source, random, hash, found 'fastest'"),
                err("backend be\n balance", "t.cfg:2: 'balance' expects one of roundrobin, static-rr, leastconn,"
                        + " first, source, random, hash"),
                err("backend be\n balance roundrobin now", "t.cfg:2: 'balance' 'roundrobin' takes no argument,"
                        + " found 'now'"),
                err("backend be\n balance hash", "t.cfg:2: 'balance' 'hash' expects a sample expression, such as"
                        + " 'hash src'"),
                err("backend be\n balance random(0)", "t.cfg:2: 'balance' 'random(0)' expects a positive number of"
                        + " draws"),
                // log
                err("global\n log 127.0.0.1", "t.cfg:2: 'log' expects <target> [len <n>] [format <format>]"
                        + " <facility> [<level> [<minlevel>]]"),
                err("global\n log stdout format raw", "t.cfg:2: 'log' expects a syslog facility after the target"
                        + " (such as local0 or daemon)"),
                err("global\n log stdout local9", "t.cfg:2: 'log' 'local9' is not a syslog facility (kern, user,"
                        + " mail, daemon, auth, syslog, lpr, news, uucp, cron, auth2, ftp, ntp, audit, alert, cron2,"
                        + " local0 to local7)"),
                err("global\n log stdout local0 loud", "t.cfg:2: 'log' 'loud' is not a syslog level (emerg, alert,"
                        + " crit, err, warning, notice, info, debug)"),
                err("global\n log stdout format json local0", "t.cfg:2: 'log' format 'json' is not one of local,"
                        + " rfc3164, rfc5424, priority, short, timed, iso, raw"),
                err("global\n log global", "t.cfg:2: 'log' 'log global' is meaningless in the global section"),
                err("global\n log tcp@127.0.0.1:514 local0", "t.cfg:2: 'log' target 'tcp@127.0.0.1:514' is not"
                        + " supported yet (Tether logs to stdout, stderr, UDP syslog, a UNIX socket or a ring)"),
                err("frontend fe\n no log now", "t.cfg:2: 'log' 'no log' takes no argument, found 'now'"),
                // references and names
                err("frontend fe\n bind :0\n default_backend nope", "t.cfg:3: 'default_backend' names 'nope', which"
                        + " is not a backend or listen section (in frontend 'fe')"),
                err("frontend fe\n bind :0\n use_backend other if TRUE\nfrontend other\n bind :0",
                        "t.cfg:3: 'use_backend' names 'other', which is not a backend or listen section (in"
                        + " frontend 'fe')"),
                err("frontend fe\n bind :0\n use_backend be_%[src if TRUE", "t.cfg:3: 'use_backend' '%[' without ']' in"
                        + " 'be_%[src'"),
                err("backend x\nlisten x\n bind :0", "t.cfg:2: 'listen' name 'x' is already used by the backend"
                        + " section at t.cfg:1"),
                err("frontend fe\n timeout client 1s" + BE, "t.cfg:1: 'frontend' 'fe' has no 'bind' line"),
                err("listen l", "t.cfg:1: 'listen' 'l' has no 'bind' line; declare it as a backend if no client"
                        + " connects to it directly"),
                // ACLs and conditions
                err("frontend fe\n acl a src(1) 10.0.0.1", "t.cfg:2: 'src' 'src' takes no argument"),
                err("frontend fe\n acl a src,ipmask(33) 10.0.0.0", "t.cfg:2: 'ipmask' IPv4 mask 33 is outside 0..32"),
                err("frontend fe\n acl a req.len,ipmask(24) 10.0.0.0\n acl b req.payload(0,4),ipmask(24) 10.0.0.0",
                        "t.cfg:3: 'ipmask' expects an address sample, but receives a binary one"),
                err("frontend fe\n acl a req.payload(0,4) -m int 5", "t.cfg:2: 'acl' 'a': match method 'int' cannot"
                        + " match a binary sample"),
                err("frontend fe\n acl a", "t.cfg:2: 'acl' expects <name> <criterion> [flags] [values...]"),
                err("frontend fe\n acl a{ src 1.2.3.4", "t.cfg:2: 'acl' name 'a{' may only contain letters, digits,"
                        + " '-', '_', '.' and ':'"),
                err("frontend fe\n acl a src -x 1.2.3.4", "t.cfg:2: 'acl' flag '-x' is not a valid ACL flag (known:"
                        + " -i, -n, -f, -M, -m, -u, --); put '--' before a value that starts with '-'"),
                err("frontend fe\n acl a src -m", "t.cfg:2: 'acl' flag '-m' needs a value"),
                err("frontend fe\n acl a src -f /nonexistent/nets.lst", "t.cfg:2: 'acl' cannot read pattern file"
                        + " '/nonexistent/nets.lst': NoSuchFileException /nonexistent/nets.lst"),
                err("frontend fe\n acl a src -m fuzzy 1", "t.cfg:2: 'acl' 'a': '-m fuzzy' is not a match method"
                        + " (known: found, bool, int, ip, bin, len, str, sub, beg, end, dir, dom, reg)"),
                err("frontend fe\n acl a src -m fuzzy", "t.cfg:2: 'acl' 'a': '-m fuzzy' is not a match method"
                        + " (known: found, bool, int, ip, bin, len, str, sub, beg, end, dir, dom, reg)"),
                err("frontend fe\n acl a src -m reg ^(db|mq", "t.cfg:2: 'acl' 'a': '^(db|mq' is not a regular"
                        + " expression: Unclosed group"),
                err("frontend fe\n acl a req.payload(0,4) -m ip 10.0.0.1", "t.cfg:2: 'acl' 'a': match method 'ip'"
                        + " cannot match a binary sample"),
                err("frontend fe\n acl a req.payload(0,4) -m bool", "t.cfg:2: 'acl' 'a': match method 'bool' cannot"
                        + " match a binary sample"),
                err("frontend fe\n acl a src_port -m len 5:x", "t.cfg:2: 'acl' 'a': '5:x' is not an integer, a range"
                        + " or an operator"),
                err("frontend fe\n acl a src -m found 1", "t.cfg:2: 'acl' 'a': match method 'found' takes no value,"
                        + " found '1'"),
                err("frontend fe\n acl a src 10.0.0.300", "t.cfg:2: 'acl' 'a': '10.0.0.300' is not an IP address,"
                        + " and '-n' forbids resolving host names", true),
                err("frontend fe\n acl a src -n db.example.com", "t.cfg:2: 'acl' 'a': 'db.example.com' is not an IP"
                        + " address, and '-n' forbids resolving host names"),
                err("frontend fe\n acl a src 10.0.0.0/33", "t.cfg:2: 'acl' 'a': '10.0.0.0/33' has a prefix length"
                        + " out of 0-32"),
                err("frontend fe\n acl a src 10.0.0.0/255.0", "t.cfg:2: 'acl' 'a': '10.0.0.0/255.0' has a bad mask"
                        + " '255.0'"),
                err("frontend fe\n acl a src 2001:db8::zz", "t.cfg:2: 'acl' 'a': '2001:db8::zz' is not a valid IPv6"
                        + " address"),
                err("frontend fe\n acl a src_port 80:70", "t.cfg:2: 'acl' 'a': range '80:70' ends before it starts"),
                err("frontend fe\n acl a src_port http", "t.cfg:2: 'acl' 'a': 'http' is not an integer, a range or"
                        + " an operator"),
                err("frontend fe\n acl a src_port gt", "t.cfg:2: 'acl' 'a': operator 'gt' needs a value after it"),
                err("frontend fe\n acl a src_port gt 1:5", "t.cfg:2: 'acl' 'a': range '1:5' cannot follow the"
                        + " operator 'gt'"),
                err("frontend fe\n use_backend be if", "t.cfg:2: 'use_backend' expects a condition after 'if'"),
                err("frontend fe\n use_backend be when TRUE", "t.cfg:2: 'use_backend' expects 'if' or 'unless'"
                        + " before a condition, found 'when'"),
                err("frontend fe\n use_backend be if nope", "t.cfg:2: 'use_backend' condition uses ACL 'nope', which"
                        + " is not declared before this line in this section"),
                err("frontend fe\n use_backend be if TRUE or", "t.cfg:2: 'use_backend' condition ends with 'or'"),
                err("frontend fe\n use_backend be if || TRUE", "t.cfg:2: 'use_backend' condition has '||' without a"
                        + " term before it"),
                err("frontend fe\n use_backend be if { src 1.2.3.4", "t.cfg:2: 'use_backend' condition has '{'"
                        + " without a matching '}' (braces must be separate words)"),
                err("frontend fe\n use_backend be if { }", "t.cfg:2: 'use_backend' condition has an empty anonymous"
                        + " ACL '{ }'"),
                err("frontend fe\n use_backend be if }", "t.cfg:2: 'use_backend' condition has '}' without a"
                        + " matching '{'"),
                err("frontend fe\n use_backend be if !", "t.cfg:2: 'use_backend' condition ends with '!'"),
                err("frontend fe\n use_backend be if { req.payload(0,4) -m ip 1.2.3.4 }", "t.cfg:2: 'acl'"
                        + " '{ req.payload(0,4) ... }': match method 'ip' cannot match a binary sample"),
                err("frontend fe\n use_backend be if METH_GET", "t.cfg:2: 'use_backend' condition uses the"
                        + " predefined ACL 'METH_GET', which is HTTP-only: Tether proxies TCP only"),
                // stick-table
                err("backend be\n stick-table size 1m", "t.cfg:2: 'stick-table' needs 'type ip|ipv6|integer|string"
                        + "|binary'"),
                err("backend be\n stick-table type ip", "t.cfg:2: 'stick-table' needs 'size <entries>'"),
                err("backend be\n stick-table type ip size", "t.cfg:2: 'stick-table' 'size' expects <entries>"),
                err("backend be\n stick-table type", "t.cfg:2: 'stick-table' 'type' expects <type>"),
                err("backend be\n stick-table type mac size 1", "t.cfg:2: 'stick-table' type 'mac' is not one of ip,"
                        + " ipv4, ipv6, integer, string, binary"),
                err("backend be\n stick-table type ip len 4 size 1", "t.cfg:2: 'stick-table' 'len' applies to string"
                        + " and binary keys only"),
                err("backend be\n stick-table size 1 len 4 type string", "t.cfg:2: 'stick-table' 'len' must follow"
                        + " 'type string' or 'type binary'"),
                err("backend be\n stick-table type string len 0 size 1", "t.cfg:2: 'stick-table' 'len' expects a"
                        + " positive number, found '0'"),
                err("backend be\n stick-table type ip size 0", "t.cfg:2: 'stick-table' 'size' expects a number of"
                        + " entries from 1 to 2147483647, found '0'"),
                err("backend be\n stick-table type ip size 4g", "t.cfg:2: 'stick-table' 'size' expects a number of"
                        + " entries from 1 to 2147483647, found '4g'"),
                err("backend be\n stick-table type ip size many", "t.cfg:2: 'stick-table' 'size' expects a number of"
                        + " entries (k, m and g multiply by 1024), found 'many'"),
                err("backend be\n stick-table type ip size 1 expire soon", "t.cfg:2: 'stick-table' 'soon' is not a"
                        + " delay"),
                err("backend be\n stick-table type ip size 1 purge", "t.cfg:2: 'stick-table' expects type, size,"
                        + " expire, nopurge, store or peers, found 'purge'"),
                err("peers p\n peer a 127.0.0.1:10000 ssl verify none", "t.cfg:2: 'peer' option 'ssl' is not"
                        + " available: Tether's peers talk plain TCP, without TLS (docs/peers.md)"),
                err("peers p\n server b 127.0.0.1:10001 ssl", "t.cfg:2: 'server' option 'ssl' is not available:"
                        + " Tether's peers talk plain TCP, without TLS (docs/peers.md)"),
                err("peers p\n bind 127.0.0.1:10000 ssl crt /etc/tether/peer.pem", "t.cfg:2: 'bind' option 'ssl'"
                        + " is not available: Tether's peers talk plain TCP, without TLS (docs/peers.md)"),
                err("peers p\n default-server ssl verify required", "t.cfg:2: 'default-server' option 'ssl' is not"
                        + " available: Tether's peers talk plain TCP, without TLS (docs/peers.md)"),
                err("peers p\n default-bind ssl", "t.cfg:2: 'default-bind' option 'ssl' is not available:"
                        + " Tether's peers talk plain TCP, without TLS (docs/peers.md)"),
                err("backend be\n stick-table type ip size 1 peers mypeers", "t.cfg:2: 'stick-table' names peers"
                        + " section 'mypeers', which is not declared"),
                err("backend be\n stick-table type ip size 1 srvkey addr", "t.cfg:2: 'stick-table' 'srvkey' is not"
                        + " supported yet"),
                err("backend be\n stick-table type ip size 1 recv-only", "t.cfg:2: 'stick-table' 'recv-only' is not"
                        + " supported yet"),
                err("backend be\n stick-table type ip size 1 store conn_rate", "t.cfg:2: 'stick-table' 'store' type"
                        + " 'conn_rate' needs a period: conn_rate(<period>)"),
                err("backend be\n stick-table type ip size 1 store conn_rate(0)", "t.cfg:2: 'stick-table' 'store'"
                        + " type 'conn_rate' needs a period above 0"),
                err("backend be\n stick-table type ip size 1 store sess_rate(1x)", "t.cfg:2: 'stick-table' 'store'"
                        + " type 'sess_rate': unknown time unit 'x' in '1x' (expected us, ms, s, m, h or d)"),
                err("backend be\n stick-table type ip size 1 store bytes_in_rate(1s", "t.cfg:2: 'stick-table'"
                        + " 'store' type 'bytes_in_rate(1s' lacks its closing ')'"),
                err("backend be\n stick-table type ip size 1 store conn_cnt(10s)", "t.cfg:2: 'stick-table' 'store'"
                        + " type 'conn_cnt' takes no period"),
                err("backend be\n stick-table type ip size 1 store gpc0,gpc0", "t.cfg:2: 'stick-table' 'store' lists"
                        + " 'gpc0' twice"),
                err("backend be\n stick-table type ip size 1 store conn_cnt,", "t.cfg:2: 'stick-table' 'store'"
                        + " expects <type>[,<type>...], found 'conn_cnt,'"),
                err("backend be\n stick-table type ip size 1 store http_req_rate(10s)", "t.cfg:2: 'stick-table'"
                        + " 'store' type 'http_req_rate' is HTTP-only: Tether proxies TCP only"),
                err("backend be\n stick-table type ip size 1 store gpc(3)", "t.cfg:2: 'stick-table' 'store' type"
                        + " 'gpc' is not supported yet"),
                err("backend be\n stick-table type ip size 1 store gpc0_rate(1s)", "t.cfg:2: 'stick-table' 'store'"
                        + " type 'gpc0_rate' is not supported yet"),
                err("backend be\n stick-table type ip size 1 store glitch_cnt", "t.cfg:2: 'stick-table' 'store' type"
                        + " 'glitch_cnt' is not supported yet"),
                err("backend be\n stick-table type ip size 1 store bogus", "t.cfg:2: 'stick-table' 'store' type"
                        + " 'bogus' is not a data type (known: server_id, conn_cnt, conn_cur, conn_rate, sess_cnt,"
                        + " sess_rate, bytes_in_cnt, bytes_out_cnt, bytes_in_rate, bytes_out_rate, gpc0, gpc1, gpt0)"),
                err("backend be\n stick-table type ip size 1\n stick-table type ip size 2", "t.cfg:3: 'stick-table'"
                        + " is already declared in this section at t.cfg:2 (one table per section; declare more in"
                        + " backends that hold only a table)"),
                err("defaults\n stick-table type ip size 1", "t.cfg:2: 'stick-table' is not allowed in a defaults"
                        + " section (allowed in frontend, listen, backend)"),
                err("backend be\n stick-table type ip size 1\nfrontend be\n stick-table type ip size 1", "t.cfg:4:"
                        + " 'stick-table' 'be' is already the name of the stick-table of backend 'be' at t.cfg:2 (a"
                        + " table takes its section's name)"),
                // stick rules
                err("frontend fe\n stick on src", "t.cfg:2: 'stick on' is not allowed in a frontend section (allowed"
                        + " in listen, backend)"),
                err("backend be\n stick", "t.cfg:2: 'stick' expects one of match, on, store-request,"
                        + " store-response"),
                err("backend be\n stick on", "t.cfg:2: 'stick on' expects <pattern> [table <name>] [if|unless"
                        + " <condition>]"),
                err("backend be\n stick match if TRUE", "t.cfg:2: 'stick match' expects a pattern before 'if'"),
                err("backend be\n stick on src table", "t.cfg:2: 'stick on' expects a table name after 'table'"),
                err("backend be\n stick on src table peers/t1", "t.cfg:2: 'stick on' names table 'peers/t1', but no"
                        + " peers section is called 'peers' (in backend 'be')"),
                err("peers p\n peer a 127.0.0.1:1\nbackend be\n stick on src table p/t1", "t.cfg:4: 'stick on' names"
                        + " table 'p/t1', but peers section 'p' declares no table 't1' (in backend 'be')"),
                err("peers p\n peer a 127.0.0.1:1\n peer a 127.0.0.1:2", "t.cfg:3: 'peer' peer 'a' is already"
                        + " declared in peers section 'p' at t.cfg:2"),
                err("peers p\n peer a", "t.cfg:2: 'peer' expects <peername> <address>:<port>"),
                err("peers p\n table t type ip", "t.cfg:2: 'table' needs 'size <entries>'"),
                err("peers p\n timeout connect 1s", "t.cfg:2: 'timeout connect' is not allowed in a peers section"
                        + " (allowed in defaults, listen, backend, ring)"),
                err("backend be\n stick on src tabel t", "t.cfg:2: 'stick on' expects [table <name>] [if|unless"
                        + " <condition>] after 'src', found 'tabel'"),
                err("backend be\n stick on src if", "t.cfg:2: 'stick on' expects a condition after 'if'"),
                err("backend be\n stick on src\n timeout connect 1s\n timeout server 1s", "t.cfg:2: 'stick on'"
                        + " needs a stick-table: backend 'be' has none; declare one, or name another section's with"
                        + " 'table <name>'"),
                err("backend be\n stick store-request src table nowhere" + BE.replace("be", "b2"), "t.cfg:2: 'stick"
                        + " store-request' names table 'nowhere', but no section is called 'nowhere' (in backend"
                        + " 'be')"),
                err("backend be\n stick match src table b2" + BE.replace("be", "b2"), "t.cfg:2: 'stick match' names"
                        + " table 'b2', but section 'b2' has no stick-table (in backend 'be')"),
                // force-persist, ignore-persist
                err("backend be\n force-persist", "t.cfg:2: 'force-persist' expects if|unless <condition>"),
                err("backend be\n ignore-persist always", "t.cfg:2: 'ignore-persist' expects 'if' or 'unless' before"
                        + " a condition, found 'always'"),
                err("frontend fe\n force-persist if TRUE", "t.cfg:2: 'force-persist' is not allowed in a frontend"
                        + " section (allowed in listen, backend)"),
                // tcp-request, tcp-response
                err("frontend fe\n tcp-request", "t.cfg:2: 'tcp-request' expects one of connection, session,"
                        + " content, inspect-delay"),
                err("backend be\n tcp-response", "t.cfg:2: 'tcp-response' expects one of content, inspect-delay"),
                err("backend be\n tcp-request session accept", "t.cfg:2: 'tcp-request session' is not allowed"
                        + " in a backend section (allowed in defaults, frontend, listen)"),
                err("backend be\n tcp-request connection accept", "t.cfg:2: 'tcp-request connection' is not allowed"
                        + " in a backend section (allowed in defaults, frontend, listen)"),
                err("frontend fe\n tcp-response content accept", "t.cfg:2: 'tcp-response content' is not allowed in"
                        + " a frontend section (allowed in defaults, listen, backend)"),
                err("defaults\n tcp-request inspect-delay 5s", "t.cfg:2: 'tcp-request inspect-delay' is only allowed"
                        + " in named defaults sections (write 'defaults <name>'), as in HAProxy"),
                err("defaults\n tcp-request content accept", "t.cfg:2: 'tcp-request content' is only allowed in named"
                        + " defaults sections (write 'defaults <name>'), as in HAProxy"),
                err("frontend fe\n tcp-request inspect-delay", "t.cfg:2: 'tcp-request inspect-delay' expects"
                        + " <time>"),
                err("backend be\n tcp-response inspect-delay 5 s", "t.cfg:2: 'tcp-response inspect-delay' takes"
                        + " only <time>, found extra 's'"),
                err("frontend fe\n tcp-request connection", "t.cfg:2: 'tcp-request connection' expects an action:"
                        + " accept, reject or track-sc0..2"),
                err("backend be\n tcp-response content", "t.cfg:2: 'tcp-response content' expects an action: accept"
                        + " or reject"),
                err("frontend fe\n tcp-request connection allow", "t.cfg:2: 'tcp-request connection' expects accept,"
                        + " reject or track-sc0..2, found 'allow'"),
                err("frontend fe\n bind :80\n tcp-request connection expect-proxy layer7", "t.cfg:3:"
                        + " 'tcp-request connection' action 'expect-proxy' expects 'layer4'"),
                err("frontend fe\n tcp-request content sc-inc-gpc0(0)", "t.cfg:2: 'tcp-request content' action"
                        + " 'sc-inc-gpc0' is not supported yet"),
                err("frontend fe\n tcp-request content set-var(txn.x) src", "t.cfg:2: 'tcp-request content' action"
                        + " 'set-var' is not supported yet"),
                err("frontend fe\n tcp-request connection silent-drop", "t.cfg:2: 'tcp-request connection' action"
                        + " 'silent-drop' is not supported yet"),
                err("frontend fe\n tcp-request content switch-mode http", "t.cfg:2: 'tcp-request content' action"
                        + " 'switch-mode' is HTTP-only: Tether proxies TCP only"),
                err("backend be\n tcp-response content close", "t.cfg:2: 'tcp-response content' action 'close' is"
                        + " not supported yet"),
                err("backend be\n tcp-response content track-sc0 src", "t.cfg:2: 'tcp-response content' action"
                        + " 'track-sc0' is not available in tcp-response rules (only in tcp-request)"),
                err("frontend fe\n tcp-request connection track-sc3 src", "t.cfg:2: 'tcp-request connection' action"
                        + " 'track-sc3' names a counter Tether does not have (track-sc0, track-sc1 or track-sc2)"),
                err("frontend fe\n tcp-request connection track-sc0", "t.cfg:2: 'tcp-request connection' 'track-sc0'"
                        + " expects <key> [table <name>]"),
                err("frontend fe\n tcp-request connection track-sc1 if TRUE", "t.cfg:2: 'tcp-request connection'"
                        + " expects a key for 'track-sc1' before 'if'"),
                err("frontend fe\n tcp-request connection reject when TRUE", "t.cfg:2: 'tcp-request connection'"
                        + " expects [if|unless <condition>] after 'reject', found 'when'"),
                err("frontend fe\n tcp-request connection track-sc0 src tbl t", "t.cfg:2: 'tcp-request connection'"
                        + " expects [table <name>] [if|unless <condition>] after 'src', found 'tbl'"),
                err("frontend fe\n tcp-request connection reject if nope", "t.cfg:2: 'tcp-request connection'"
                        + " condition uses ACL 'nope', which is not declared before this line in this section"),
                err("frontend fe\n bind :0\n tcp-request connection track-sc0 src", "t.cfg:3: 'tcp-request"
                        + " connection' needs a stick-table: frontend 'fe' has none; declare one, or name another"
                        + " section's with 'table <name>'"),
                err("frontend fe\n bind :0\n tcp-request content track-sc1 src table be" + BE, "t.cfg:3:"
                        + " 'tcp-request content' names table 'be', but section 'be' has no stick-table (in frontend"
                        + " 'fe')"),
                // rules from named defaults
                err("defaults d\n tcp-request content reject\nlisten l", "t.cfg:3: 'listen' 'l' uses defaults 'd'"
                        + " (t.cfg:1), whose tcp-request/tcp-response rules cannot apply to a listen section: a"
                        + " defaults section with rules serves frontends or backends, not both"),
                err("defaults d\n tcp-request content reject\nfrontend f\nbackend b", "t.cfg:4: 'backend' 'b' uses"
                        + " defaults 'd' (t.cfg:1), whose tcp-request/tcp-response rules already apply to frontend"
                        + " 'f': a defaults section with rules serves frontends or backends, not both"),
                err("defaults d\n tcp-request connection reject\nbackend b", "t.cfg:3: 'backend' 'b' uses defaults"
                        + " 'd' (t.cfg:1), whose 'tcp-request connection' rule at t.cfg:2 cannot apply to a backend"),
                err("defaults d\n tcp-response content reject\nfrontend f", "t.cfg:3: 'frontend' 'f' uses defaults"
                        + " 'd' (t.cfg:1), whose 'tcp-response content' rule at t.cfg:2 cannot apply to a frontend"));
    }

    private static Arguments err(String config, String message) {
        return Arguments.of(config, message);
    }

    /** For patterns that would otherwise go to DNS: the same message with -n, which must not resolve. */
    private static Arguments err(String config, String message, boolean addNoDns) {
        return Arguments.of(config.replace(" src ", " src -n "), message);
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("errors")
    void shouldReportTheErrorWithFileLineAndKeyword(String config, String message) {
        assertThatThrownBy(() -> ConfigLoader.parse("t.cfg", config, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }

    @Test
    void shouldListTheKnownFetchesAndConvertersWhenANameIsUnknown() {
        assertThatThrownBy(() -> ConfigLoader.parse("t.cfg", "frontend fe\n acl a source 10.0.0.1", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("t.cfg:2: 'source' is not a known sample fetch (known: always_false,")
                .hasMessageContaining(" src, src_bytes_in_cnt,")
                .hasMessageEndingWith(", srv_is_up, srv_name, srv_queue, str, wait_end)");
        assertThatThrownBy(() -> ConfigLoader.parse("t.cfg", "frontend fe\n acl a src,sha1 10.0.0.1", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("t.cfg:2: 'sha1' is not a known converter (known: add, and, bool, bytes,")
                .hasMessageEndingWith(", upper, word, wt6, xor)");
    }

    @Test
    void shouldReportAMissingPatternFileWithBothPlacesLookedAt(@TempDir Path dir) throws Exception {
        Path cfg = ConfigParserTest.write(dir, "t.cfg", "frontend fe\n acl a src -f missing.lst\n");
        assertThatThrownBy(() -> ConfigLoader.load(List.of(cfg), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(cfg + ":2: 'acl' cannot read pattern file 'missing.lst' (also tried '"
                        + dir.toAbsolutePath().resolve("missing.lst") + "')");
    }

    @Test
    void shouldReportAnUnreadableConfigurationFile(@TempDir Path dir) {
        Path missing = dir.resolve("none.cfg");
        assertThatThrownBy(() -> ConfigLoader.load(List.of(missing), Map.of()))
                .hasMessageStartingWith(missing + ": cannot read the file: NoSuchFileException");
    }
}
