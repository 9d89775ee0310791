package ai.local.runtime.chat.template.jinja;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import ai.local.runtime.chat.template.jinja.Lexer.Kind;
import ai.local.runtime.chat.template.jinja.Lexer.Token;

/** Tokens to statements, with Jinja2's grammar; expressions come from {@link ExprParser}. */
final class Parser extends ExprParser {

	private Parser(List<Token> tokens) {
		super(tokens);
	}

	static List<Stmt> parse(String source) {
		Parser p = new Parser(Lexer.tokenize(source));
		List<Stmt> body = p.body(Set.of());
		if (p.peek().kind() != Kind.EOF) {
			throw p.error("unexpected '" + p.peek().text() + "'");
		}
		return body;
	}

	/** Statements up to (not including) a block tag whose first word is in {@code ends}. */
	private List<Stmt> body(Set<String> ends) {
		List<Stmt> out = new ArrayList<>();
		while (true) {
			Token t = peek();
			switch (t.kind()) {
			case EOF:
				if (!ends.isEmpty()) {
					throw error("the template ended while looking for " + String.join(" or ", ends));
				}
				return out;
			case TEXT:
				pos++;
				out.add(new Stmt.Text(t.text()));
				break;
			case VAR_BEGIN:
				pos++;
				out.add(new Stmt.Output(tuple()));
				expect(Kind.VAR_END);
				break;
			case BLOCK_BEGIN:
				Token word = peek(1);
				if (word.kind() == Kind.NAME && ends.contains(word.text())) {
					return out;
				}
				pos++;
				out.add(statement());
				break;
			default:
				throw error("unexpected '" + t.text() + "'");
			}
		}
	}

	/** After {@code {%}: one statement, up to and including its end tag. */
	private Stmt statement() {
		String word = expectName();
		switch (word) {
		case "if":
			return ifStatement();
		case "for":
			return forStatement();
		case "set":
			return setStatement();
		case "macro":
			return macro();
		case "filter": {
			List<Expr.Filter> filters = new ArrayList<>();
			filters.add(filter(new Expr.Const(null)));
			filters.addAll(filterChain(filters.get(0)));
			expect(Kind.BLOCK_END);
			List<Stmt> body = body(Set.of("endfilter"));
			endTag("endfilter");
			return new Stmt.FilterBlock(filters, body);
		}
		case "generation": {
			expect(Kind.BLOCK_END);
			List<Stmt> body = body(Set.of("endgeneration"));
			endTag("endgeneration");
			return new Stmt.Block(body);
		}
		case "break":
			expect(Kind.BLOCK_END);
			return new Stmt.Break();
		case "continue":
			expect(Kind.BLOCK_END);
			return new Stmt.Continue();
		case "do": {
			Expr e = tuple();
			expect(Kind.BLOCK_END);
			return (scope, out) -> e.eval(scope);
		}
		default:
			pos--;
			throw error("unknown tag '" + word + "'");
		}
	}

	private void endTag(String name) {
		expect(Kind.BLOCK_BEGIN);
		if (!acceptName(name)) {
			throw error("expected " + name);
		}
		expect(Kind.BLOCK_END);
	}

	private Stmt ifStatement() {
		List<Expr> tests = new ArrayList<>();
		List<List<Stmt>> bodies = new ArrayList<>();
		List<Stmt> otherwise = List.of();
		tests.add(tuple());
		expect(Kind.BLOCK_END);
		while (true) {
			bodies.add(body(Set.of("elif", "else", "endif")));
			expect(Kind.BLOCK_BEGIN);
			String w = expectName();
			if (w.equals("elif")) {
				tests.add(tuple());
				expect(Kind.BLOCK_END);
			} else if (w.equals("else")) {
				expect(Kind.BLOCK_END);
				otherwise = body(Set.of("endif"));
				endTag("endif");
				break;
			} else {
				expect(Kind.BLOCK_END);
				break;
			}
		}
		return new Stmt.If(tests, bodies, otherwise);
	}

	private Stmt forStatement() {
		List<String> targets = new ArrayList<>();
		boolean parens = acceptOp("(");
		do {
			targets.add(expectName());
		} while (acceptOp(","));
		if (parens) {
			expectOp(")");
		}
		if (!acceptName("in")) {
			throw error("expected 'in'");
		}
		Expr iterable = tupleNoCondition();
		Expr filter = null;
		if (acceptName("if")) {
			filter = expression();
		}
		boolean recursive = acceptName("recursive");
		expect(Kind.BLOCK_END);
		List<Stmt> body = body(Set.of("else", "endfor"));
		List<Stmt> otherwise = List.of();
		expect(Kind.BLOCK_BEGIN);
		if (acceptName("else")) {
			expect(Kind.BLOCK_END);
			otherwise = body(Set.of("endfor"));
			endTag("endfor");
		} else {
			acceptName("endfor");
			expect(Kind.BLOCK_END);
		}
		return new Stmt.For(targets, iterable, filter, body, otherwise, recursive);
	}

	private Stmt setStatement() {
		String first = expectName();
		Expr namespace = null;
		List<String> targets = new ArrayList<>();
		if (acceptOp(".")) {
			namespace = new Expr.Name(first);
			targets.add(expectName());
		} else {
			targets.add(first);
			while (acceptOp(",")) {
				targets.add(expectName());
			}
		}
		if (acceptOp("=")) {
			Expr value = tuple();
			expect(Kind.BLOCK_END);
			return new Stmt.Set(targets, namespace, value);
		}
		List<Expr.Filter> filters = peek().isOp("|") ? filterChain(new Expr.Const(null)) : List.of();
		expect(Kind.BLOCK_END);
		List<Stmt> body = body(Set.of("endset"));
		endTag("endset");
		return new Stmt.SetBlock(targets.get(0), namespace, body, filters);
	}

	private Stmt macro() {
		String name = expectName();
		expectOp("(");
		List<String> params = new ArrayList<>();
		List<Expr> defaults = new ArrayList<>();
		while (!acceptOp(")")) {
			if (!params.isEmpty()) {
				expectOp(",");
				if (acceptOp(")")) {
					break;
				}
			}
			params.add(expectName());
			if (acceptOp("=")) {
				defaults.add(expression());
			} else if (!defaults.isEmpty()) {
				throw error("a parameter without a default follows one with a default");
			}
		}
		expect(Kind.BLOCK_END);
		List<Stmt> body = body(Set.of("endmacro"));
		expect(Kind.BLOCK_BEGIN);
		acceptName("endmacro");
		if (peek().kind() == Kind.NAME) {
			pos++;
		}
		expect(Kind.BLOCK_END);
		return new Stmt.MacroDef(name, params, defaults, body);
	}

	/** {@code |f(args)|g ...} applied to {@code value}; the filters themselves. */
	private List<Expr.Filter> filterChain(Expr value) {
		List<Expr.Filter> out = new ArrayList<>();
		Expr v = value;
		while (acceptOp("|")) {
			Expr.Filter f = filter(v);
			out.add(f);
			v = f;
		}
		return out;
	}
}
