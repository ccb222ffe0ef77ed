package org.postern.smtp;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Optional;

/**
 * SMTP AUTH (RFC 4954) with the PLAIN (RFC 4616) and LOGIN mechanisms. Both send the password itself, so AUTH is
 * refused with {@code 530 5.7.0} until TLS protects the connection (RFC 4954 §4: "a server implementation MUST
 * implement a configuration in which it does NOT permit any plaintext password mechanisms, unless ... TLS").
 * The session only decodes; whether the credentials are good, and lockout, is the handler's business.
 *
 * <p>Security stance: the decoded credentials go to the handler and nowhere else; a refusal is labelled with the
 * verb only. Challenge responses are read with RFC 4954 §4's 12,288-octet line limit.</p>
 */
final class AuthCommand {

    /** RFC 4954 §4: a server should accept authentication lines of at least 12,288 octets. */
    private static final int MAX_RESPONSE_LINE = 12_288 + 2;
    private static final String USERNAME = Base64.getEncoder().encodeToString("Username:".getBytes(StandardCharsets.US_ASCII));
    private static final String PASSWORD = Base64.getEncoder().encodeToString("Password:".getBytes(StandardCharsets.US_ASCII));

    private final SmtpSession session;

    AuthCommand(SmtpSession session) {
        this.session = session;
    }

    /** Whether EHLO lists AUTH now: only on a listener that offers it, and only under TLS. */
    boolean advertised() {
        return session.handler().offersAuth() && session.connection().tlsActive()
                && session.state().authenticatedUser().isEmpty();
    }

    void auth(Command.Auth command) throws IOException {
        SessionState state = session.state();
        if (!session.handler().offersAuth()) {
            session.refuse("AUTH", ProtocolReplies.notImplemented(Verb.AUTH));
        } else if (!session.connection().tlsActive()) {
            session.refuse("AUTH", ProtocolReplies.authNeedsTls());
        } else if (state.authenticatedUser().isPresent()) {
            session.refuse("AUTH", ProtocolReplies.alreadyAuthenticated());
        } else if (state.transaction().isPresent()) {
            session.refuse("AUTH", ProtocolReplies.transactionInProgress());
        } else {
            switch (command.mechanism()) {
                case "PLAIN" -> plain(command.initialResponse());
                case "LOGIN" -> login(command.initialResponse());
                default -> session.refuse("AUTH", ProtocolReplies.unknownAuthMechanism());
            }
        }
    }

    /** RFC 4616 §2: message = [authzid] NUL authcid NUL passwd. */
    private void plain(Optional<String> initial) throws IOException {
        Optional<String> response = initial.isPresent() ? initial : challenge("");
        if (response.isEmpty()) return;
        Optional<String> decoded = decode(response.get());
        if (decoded.isEmpty()) return;
        String[] parts = decoded.get().split("\u0000", -1);
        if (parts.length != 3 || parts[1].isEmpty()) {
            session.refuse("AUTH", ProtocolReplies.badAuthEncoding());
            return;
        }
        // We act for no one else: an authorization identity other than the user itself is not granted.
        // (No password is checked here, so refusing costs no guess against the lockout.)
        if (!parts[0].isEmpty() && !parts[0].equals(parts[1])) {
            session.refuse("AUTH", ProtocolReplies.authorizationIdentityRefused());
            return;
        }
        verify("PLAIN", parts[1], parts[2]);
    }

    /** LOGIN (draft-murchison-sasl-login): user name and password, each asked for in its own challenge. */
    private void login(Optional<String> initial) throws IOException {
        Optional<String> userLine = initial.isPresent() ? initial : challenge(USERNAME);
        if (userLine.isEmpty()) return;
        Optional<String> user = decode(userLine.get());
        if (user.isEmpty()) return;
        Optional<String> passwordLine = challenge(PASSWORD);
        if (passwordLine.isEmpty()) return;
        Optional<String> password = decode(passwordLine.get());
        if (password.isEmpty()) return;
        verify("LOGIN", user.get(), password.get());
    }

    private void verify(String mechanism, String user, String password) {
        Reply answer = session.ask("authenticate", () -> session.handler().authenticate(mechanism, user, password));
        if (answer.code() == 235) session.state().authenticated(user);
        session.answer(answer);
    }

    /** Sends a 334 challenge and reads the client's response line; empty when it cancelled or broke the rules. */
    private Optional<String> challenge(String text) throws IOException {
        session.connection().writer().queue(Reply.of(334, "", text));
        session.connection().writer().flush();
        SmtpInput.Line line = session.connection().input().readLine(MAX_RESPONSE_LINE);
        switch (line.ending()) {
            case TOO_LONG -> {
                session.refuse("AUTH", ProtocolReplies.authLineTooLong());
                return Optional.empty();
            }
            case BARE_LF -> {
                session.refuse("AUTH", ProtocolReplies.bareLfInCommand());
                return Optional.empty();
            }
            case CRLF -> { }
        }
        String response = new String(line.bytes(), StandardCharsets.ISO_8859_1).strip();
        // RFC 4954 §4: "*" cancels the exchange.
        if (response.equals("*")) {
            session.refuse("AUTH", ProtocolReplies.authCancelled());
            return Optional.empty();
        }
        return Optional.of(response);
    }

    /** Base64 to UTF-8 text; "=" is the empty response (RFC 4954 §4). A malformed one is refused here. */
    private Optional<String> decode(String base64) {
        if (base64.equals("=")) return Optional.of("");
        try {
            byte[] bytes = Base64.getDecoder().decode(base64);
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString());
        } catch (IllegalArgumentException | CharacterCodingException e) {
            session.refuse("AUTH", ProtocolReplies.badAuthEncoding());
            return Optional.empty();
        }
    }
}
