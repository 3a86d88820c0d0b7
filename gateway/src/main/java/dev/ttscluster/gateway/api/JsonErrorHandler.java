package dev.ttscluster.gateway.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Errors the HTTP server answers itself, before a route runs (a header block over the limit, a URI it
 * cannot parse, a body arriving too slowly), as the same JSON the routes use:
 * {@code {"error": code, "message": text}}, with the codes of {@link ErrorMapping}. Never echoes the request.
 */
final class JsonErrorHandler extends ErrorHandler {
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(json(status, reason).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    protected void generateAcceptableResponse(
            Request baseRequest, HttpServletRequest request, HttpServletResponse response, int code, String message)
            throws IOException {
        baseRequest.setHandled(true);
        response.setContentType("application/json");
        response.getOutputStream().write(json(code, message).getBytes(StandardCharsets.UTF_8));
    }

    static String json(int status, String reason) {
        String code = ErrorMapping.codeFor(status);
        String text = reason == null || reason.isBlank() ? HttpStatus.getMessage(status) : reason;
        if (status == 400 && (reason == null || reason.isBlank() || reason.equals("Bad Request"))) {
            text = "the request could not be parsed: a malformed or ambiguous URI, or malformed headers";
        } else if (status == 431) {
            text = "the request's headers are larger than the server accepts";
        } else if (status == 414) {
            text = "the request URI is longer than the server accepts";
        }
        text = text.replaceAll("[^\\x20-\\x7e]", "?");
        if (text.length() > 200) {
            text = text.substring(0, 200) + "...";
        }
        return "{\"error\":\"" + code + "\",\"message\":\""
                + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
    }
}
