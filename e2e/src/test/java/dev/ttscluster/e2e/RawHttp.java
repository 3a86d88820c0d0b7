package dev.ttscluster.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, byte for byte as given: for requests no well-behaved client would send
 * (a malformed path, a body that is not UTF-8, a header block too large, a body sent slowly).
 */
final class RawHttp {
    /** What came back: the status (0 when the server closed without answering), headers and body. */
    record Reply(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawHttp() {}

    /** Sends the request head and body at once; the head needs no Content-Length when {@code body} is null. */
    static Reply send(int port, String head, byte[] body) throws IOException {
        return send(port, head, body, 0, 0);
    }

    /**
     * Sends the head, then the body in pieces of {@code chunk} bytes {@code pauseMs} apart (0: all at once),
     * and reads the reply. Stops sending when the server answers or closes early.
     */
    static Reply send(int port, String head, byte[] body, int chunk, long pauseMs) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            if (body != null) {
                try {
                    if (chunk <= 0) {
                        out.write(body);
                        out.flush();
                    } else {
                        for (int i = 0; i < body.length; i += chunk) {
                            out.write(body, i, Math.min(chunk, body.length - i));
                            out.flush();
                            if (in.available() > 0) {
                                break; // the server has answered
                            }
                            Thread.sleep(pauseMs);
                        }
                    }
                } catch (IOException e) {
                    // the server closed while the body was sent: read what it answered
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
            return read(in);
        }
    }

    private static Reply read(InputStream in) throws IOException {
        ByteArrayOutputStream headBytes = new ByteArrayOutputStream();
        int state = 0;
        try {
            int b;
            while (state < 4 && (b = in.read()) >= 0) {
                headBytes.write(b);
                state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                        ? state + 1
                        : b == '\r' ? 1 : 0;
            }
        } catch (IOException e) {
            if (headBytes.size() == 0) {
                return new Reply(0, Map.of(), "");
            }
        }
        String head = headBytes.toString(StandardCharsets.ISO_8859_1);
        if (head.isEmpty()) {
            return new Reply(0, Map.of(), "");
        }
        String[] lines = head.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int c = lines[i].indexOf(':');
            if (c > 0) {
                headers.put(
                        lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(c + 1).trim());
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            if (headers.containsKey("content-length")) {
                byte[] b = in.readNBytes(Integer.parseInt(headers.get("content-length")));
                body.write(b);
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                while (true) {
                    String size = line(in);
                    int n = Integer.parseInt(size.split(";")[0].trim(), 16);
                    if (n == 0) {
                        break;
                    }
                    body.write(in.readNBytes(n));
                    line(in);
                }
            } else if (status >= 200 && status != 204 && status != 304) {
                body.write(in.readAllBytes());
            }
        } catch (SocketTimeoutException e) {
            // keep what arrived
        }
        return new Reply(status, headers, body.toString(StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        return sb.toString();
    }
}
