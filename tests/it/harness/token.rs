//! A registry token service, as Docker Hub, ACR, GHCR and Harbor run one: the distribution
//! registry answers 401 with a bearer challenge naming this realm, and this service gives
//! signed JWTs (RS256, with the signing certificate in `x5c`, which the registry trusts
//! through `rootcertbundle`) for the scopes a login may have. It takes Basic logins on GET,
//! and OAuth2 `password` and `refresh_token` grants on POST (what `docker login` keeps as an
//! identity token is such a refresh token). Every request is recorded, so that tests count
//! them, and it can be told to fail.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// A login the service knows: its password, its refresh token (an identity token), and the
/// repositories it may pull from and push to (`*` for all, or a repository name).
#[derive(Debug, Clone)]
pub struct TokenUser {
    pub name: String,
    pub password: String,
    pub refresh_token: String,
    pub pull: Vec<String>,
    pub push: Vec<String>,
}

impl TokenUser {
    /// A user who may pull and push everything.
    pub fn admin(name: &str, password: &str) -> TokenUser {
        TokenUser {
            name: name.into(),
            password: password.into(),
            refresh_token: format!("refresh-{name}-{password}"),
            pull: vec!["*".into()],
            push: vec!["*".into()],
        }
    }

    fn may(&self, action: &str, repository: &str) -> bool {
        let allowed = match action {
            "pull" => &self.pull,
            "push" => &self.push,
            _ => return false,
        };
        allowed.iter().any(|r| r == "*" || r == repository)
    }
}

/// One request the service answered.
#[derive(Debug, Clone)]
pub struct TokenRequest {
    /// `basic`, `password`, `refresh_token` or `anonymous`.
    pub grant: String,
    pub user: Option<String>,
    pub scopes: Vec<String>,
    pub status: u16,
    /// Who asked (User-Agent): acrt, or the builder.
    pub agent: String,
}

#[derive(Default)]
struct State {
    users: Vec<TokenUser>,
    requests: Vec<TokenRequest>,
    /// Answer every request with this status instead (an outage).
    failing: Option<u16>,
}

pub struct TokenServer {
    pub realm: String,
    pub service: String,
    pub issuer: String,
    pub cert: PathBuf,
    state: Arc<Mutex<State>>,
}

impl TokenServer {
    /// Starts a token service on loopback with its own signing key and certificate in `dir`.
    pub fn start(dir: &Path, users: Vec<TokenUser>) -> TokenServer {
        std::fs::create_dir_all(dir).unwrap();
        let out = std::process::Command::new("openssl")
            .current_dir(dir)
            .args([
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=acrt test token issuer",
                "-keyout",
                "token-key.pem",
                "-out",
                "token-cert.pem",
            ])
            .output()
            .expect("openssl is needed: run scripts/setup");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let key = std::fs::read(dir.join("token-key.pem")).unwrap();
        let cert_pem = std::fs::read_to_string(dir.join("token-cert.pem")).unwrap();
        let cert_der: String = cert_pem
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let realm = format!("http://{}/token", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State {
            users,
            ..State::default()
        }));
        let server = TokenServer {
            realm,
            service: "acrt-tests-registry".into(),
            issuer: "acrt-tests-issuer".into(),
            cert: dir.join("token-cert.pem"),
            state: state.clone(),
        };
        let signer = Signer {
            key: jsonwebtoken::EncodingKey::from_rsa_pem(&key).unwrap(),
            cert_der,
            issuer: server.issuer.clone(),
            service: server.service.clone(),
        };
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (state, signer) = (state.clone(), signer.clone());
                std::thread::spawn(move || serve(stream, &state, &signer));
            }
        });
        server
    }

    /// The registry config's `auth` section that trusts this service.
    pub fn registry_auth_config(&self) -> String {
        format!(
            "auth:\n  token:\n    realm: {}\n    service: {}\n    issuer: {}\n    rootcertbundle: {}\n",
            self.realm,
            self.service,
            self.issuer,
            self.cert.display()
        )
    }

    /// Every request answered so far.
    pub fn requests(&self) -> Vec<TokenRequest> {
        self.state.lock().unwrap().requests.clone()
    }

    /// Forgets the requests answered so far (to count those of one command).
    pub fn clear_requests(&self) {
        self.state.lock().unwrap().requests.clear();
    }

    /// Answers every request with `status` from now on (None: serve again).
    pub fn fail_with(&self, status: Option<u16>) {
        self.state.lock().unwrap().failing = status;
    }
}

#[derive(Clone)]
struct Signer {
    key: jsonwebtoken::EncodingKey,
    cert_der: String,
    issuer: String,
    service: String,
}

impl Signer {
    /// A token for `user` granting what it may of `scopes`.
    fn token(&self, user: Option<&TokenUser>, scopes: &[String]) -> String {
        let access: Vec<serde_json::Value> = scopes
            .iter()
            .filter_map(|scope| {
                let mut parts = scope.splitn(3, ':');
                let (kind, name, actions) = (parts.next()?, parts.next()?, parts.next()?);
                let granted: Vec<&str> = actions
                    .split(',')
                    .filter(|a| user.is_some_and(|u| u.may(a, name)))
                    .collect();
                Some(serde_json::json!({"type": kind, "name": name, "actions": granted}))
            })
            .collect();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let claims = serde_json::json!({
            "iss": self.issuer,
            "sub": user.map(|u| u.name.as_str()).unwrap_or(""),
            "aud": self.service,
            "exp": now + 300,
            "nbf": now - 10,
            "iat": now,
            "jti": format!("{now}-{}", rand_suffix()),
            "access": access,
        });
        let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
        header.x5c = Some(vec![self.cert_der.clone()]);
        jsonwebtoken::encode(&header, &claims, &self.key).unwrap()
    }
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::SeqCst)
}

/// A request: method, path with query, headers (lower-case names), body.
struct Request {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: String,
}

fn read_request(stream: &std::net::TcpStream) -> Option<Request> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut words = line.split_whitespace();
    let (method, target) = (words.next()?.to_string(), words.next()?.to_string());
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
    }
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    let body = if chunked {
        // Go's clients (buildah's) send a form body in chunks.
        let mut body = Vec::new();
        loop {
            let mut size = String::new();
            reader.read_line(&mut size).ok()?;
            let size = usize::from_str_radix(size.trim(), 16).ok()?;
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk).ok()?;
            if size == 0 {
                break body;
            }
            body.extend_from_slice(&chunk[..size]);
        }
    } else {
        let length = headers
            .iter()
            .find(|(n, _)| n == "content-length")
            .and_then(|(_, v)| v.parse::<usize>().ok())
            .unwrap_or(0);
        let mut body = vec![0; length];
        reader.read_exact(&mut body).ok()?;
        body
    };
    Some(Request {
        method,
        target,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

/// `a=b&c=d` decoded (form bodies and query strings).
fn form(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (decode(k), decode(v)))
        .collect()
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                out.push(u8::from_str_radix(hex, 16).unwrap_or(b'?'));
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn serve(mut stream: std::net::TcpStream, state: &Mutex<State>, signer: &Signer) {
    let Some(request) = read_request(&stream) else {
        return;
    };
    let (path, query) = request
        .target
        .split_once('?')
        .unwrap_or((request.target.as_str(), ""));
    let params = match request.method.as_str() {
        "POST" => form(&request.body),
        _ => form(query),
    };
    let param = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let scopes: Vec<String> = params
        .iter()
        .filter(|(k, _)| k == "scope")
        .flat_map(|(_, v)| v.split(' ').map(str::to_string).collect::<Vec<_>>())
        .filter(|s| !s.is_empty())
        .collect();
    let basic = request
        .headers
        .iter()
        .find(|(n, _)| n == "authorization")
        .and_then(|(_, v)| v.strip_prefix("Basic "))
        .and_then(|b| {
            use base64::Engine as _;
            base64::engine::general_purpose::STANDARD.decode(b).ok()
        })
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|b| {
            b.split_once(':')
                .map(|(u, p)| (u.to_string(), p.to_string()))
        });
    let mut state = state.lock().unwrap();
    let (grant, who): (String, Result<Option<TokenUser>, ()>) =
        match (request.method.as_str(), param("grant_type").as_deref()) {
            ("POST", Some("password")) => {
                let (u, p) = (
                    param("username").unwrap_or_default(),
                    param("password").unwrap_or_default(),
                );
                (
                    "password".into(),
                    find(&state.users, |x| x.name == u && x.password == p),
                )
            }
            ("POST", Some("refresh_token")) => {
                let t = param("refresh_token").unwrap_or_default();
                (
                    "refresh_token".into(),
                    find(&state.users, |x| x.refresh_token == t),
                )
            }
            ("GET", _) => match &basic {
                Some((u, p)) => (
                    "basic".into(),
                    find(&state.users, |x| x.name == *u && x.password == *p),
                ),
                None => ("anonymous".into(), Ok(None)),
            },
            _ => ("unknown".into(), Err(())),
        };
    let status = if path != "/token" {
        404
    } else if let Some(failing) = state.failing {
        failing
    } else if who.is_err() {
        401
    } else {
        200
    };
    state.requests.push(TokenRequest {
        grant: grant.clone(),
        user: who
            .as_ref()
            .ok()
            .and_then(|u| u.as_ref().map(|u| u.name.clone())),
        scopes: scopes.clone(),
        status,
        agent: request
            .headers
            .iter()
            .find(|(n, _)| n == "user-agent")
            .map(|(_, v)| v.clone())
            .unwrap_or_default(),
    });
    drop(state);
    let body = match (status, &who) {
        (200, Ok(user)) => {
            let token = signer.token(user.as_ref(), &scopes);
            let mut answer = serde_json::json!({
                "token": token, "access_token": token, "expires_in": 300,
                "issued_at": "2026-01-01T00:00:00Z",
            });
            if grant == "password" && param("access_type").as_deref() == Some("offline") {
                answer["refresh_token"] = user.as_ref().map(|u| u.refresh_token.clone()).into();
            }
            answer.to_string()
        }
        _ => serde_json::json!({"errors": [{"code": "UNAUTHORIZED", "message": "access denied"}]})
            .to_string(),
    };
    let reason = if status == 200 { "OK" } else { "Error" };
    let _ = write!(
        stream,
        "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}

/// The user a check finds: Ok(Some) when one matches, Err when none does.
fn find(users: &[TokenUser], check: impl Fn(&TokenUser) -> bool) -> Result<Option<TokenUser>, ()> {
    users.iter().find(|u| check(u)).cloned().map(Some).ok_or(())
}
