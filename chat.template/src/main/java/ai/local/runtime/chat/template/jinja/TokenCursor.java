package ai.local.runtime.chat.template.jinja;

import java.util.List;

import ai.local.runtime.chat.template.TemplateException;
import ai.local.runtime.chat.template.jinja.Lexer.Kind;
import ai.local.runtime.chat.template.jinja.Lexer.Token;

/** A position in a template's tokens, and the looks, takes and expectations the parsers make of them. */
class TokenCursor {
	private final List<Token> tokens;
	int pos;

	TokenCursor(List<Token> tokens) {
		this.tokens = tokens;
	}

	Token peek() {
		return tokens.get(pos);
	}

	Token peek(int ahead) {
		return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
	}

	Token next() {
		return tokens.get(pos++);
	}

	boolean acceptOp(String op) {
		if (peek().isOp(op)) {
			pos++;
			return true;
		}
		return false;
	}

	boolean acceptName(String name) {
		if (peek().isName(name)) {
			pos++;
			return true;
		}
		return false;
	}

	void expectOp(String op) {
		if (!acceptOp(op)) {
			throw error("expected '" + op + "', got '" + peek().text() + "'");
		}
	}

	String expectName() {
		if (peek().kind() != Kind.NAME) {
			throw error("expected a name, got '" + peek().text() + "'");
		}
		return next().text();
	}

	void expect(Kind kind) {
		if (peek().kind() != kind) {
			throw error("expected the end of the tag, got '" + peek().text() + "'");
		}
		pos++;
	}

	TemplateException error(String what) {
		return new TemplateException("template syntax error on line " + peek().line() + ": " + what);
	}
}
