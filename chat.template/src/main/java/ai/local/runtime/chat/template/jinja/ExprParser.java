package ai.local.runtime.chat.template.jinja;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ai.local.runtime.chat.template.TemplateException;
import ai.local.runtime.chat.template.jinja.Lexer.Kind;
import ai.local.runtime.chat.template.jinja.Lexer.Token;

/** Expressions, with Jinja2's grammar and operator precedence; the statements build on it ({@link Parser}). */
class ExprParser extends TokenCursor {

	ExprParser(List<Token> tokens) {
		super(tokens);
	}

	// expressions, lowest precedence first

	/** An expression, or several separated by commas: a tuple. */
	Expr tuple() {
		return tuple(true);
	}

	Expr tupleNoCondition() {
		return tuple(false);
	}

	Expr tuple(boolean conditional) {
		List<Expr> items = new ArrayList<>();
		boolean comma = false;
		while (true) {
			if (!items.isEmpty()) {
				if (!acceptOp(",")) {
					break;
				}
				comma = true;
			}
			if (atTupleEnd()) {
				break;
			}
			items.add(conditional ? expression() : or());
		}
		if (!comma && items.size() == 1) {
			return items.get(0);
		}
		if (items.isEmpty() && !comma) {
			throw error("expected an expression, got '" + peek().text() + "'");
		}
		return new Expr.ListLiteral(items, true);
	}

	boolean atTupleEnd() {
		Token t = peek();
		return t.kind() == Kind.VAR_END || t.kind() == Kind.BLOCK_END || t.kind() == Kind.EOF || t.isOp(")")
				|| t.isName("recursive");
	}

	Expr expression() {
		Expr e = or();
		while (acceptName("if")) {
			Expr test = or();
			Expr otherwise = acceptName("else") ? expression() : null;
			e = new Expr.Conditional(test, e, otherwise);
		}
		return e;
	}

	Expr or() {
		Expr e = and();
		while (acceptName("or")) {
			e = new Expr.Or(e, and());
		}
		return e;
	}

	Expr and() {
		Expr e = not();
		while (acceptName("and")) {
			e = new Expr.And(e, not());
		}
		return e;
	}

	Expr not() {
		if (acceptName("not")) {
			return new Expr.Not(not());
		}
		return compare();
	}

	Expr compare() {
		Expr first = math1();
		List<String> ops = new ArrayList<>();
		List<Expr> rest = new ArrayList<>();
		while (true) {
			Token t = peek();
			if (t.kind() == Kind.OP && Set.of("==", "!=", "<", "<=", ">", ">=").contains(t.text())) {
				pos++;
				ops.add(t.text());
			} else if (t.isName("in")) {
				pos++;
				ops.add("in");
			} else if (t.isName("not") && peek(1).isName("in")) {
				pos += 2;
				ops.add("notin");
			} else {
				break;
			}
			rest.add(math1());
		}
		return ops.isEmpty() ? first : new Expr.Compare(first, ops, rest);
	}

	Expr math1() {
		Expr e = concat();
		while (peek().isOp("+") || peek().isOp("-")) {
			String op = next().text();
			e = new Expr.Arithmetic(op, e, concat());
		}
		return e;
	}

	Expr concat() {
		Expr e = math2();
		if (!peek().isOp("~")) {
			return e;
		}
		List<Expr> parts = new ArrayList<>(List.of(e));
		while (acceptOp("~")) {
			parts.add(math2());
		}
		return new Expr.Concat(parts);
	}

	Expr math2() {
		Expr e = pow();
		while (peek().isOp("*") || peek().isOp("/") || peek().isOp("//") || peek().isOp("%")) {
			String op = next().text();
			e = new Expr.Arithmetic(op, e, pow());
		}
		return e;
	}

	Expr pow() {
		Expr e = unary(true);
		while (acceptOp("**")) {
			e = new Expr.Arithmetic("**", e, unary(true));
		}
		return e;
	}

	Expr unary(boolean withFilter) {
		Expr e;
		if (acceptOp("-")) {
			e = new Expr.Negate(unary(false));
		} else if (acceptOp("+")) {
			e = unary(false);
		} else {
			e = primary();
		}
		e = postfix(e);
		return withFilter ? filterExpression(e) : e;
	}

	Expr primary() {
		Token t = next();
		switch (t.kind()) {
		case NAME:
			return switch (t.text()) {
			case "true", "True" -> new Expr.Const(true);
			case "false", "False" -> new Expr.Const(false);
			case "none", "None" -> new Expr.Const(null);
			default -> new Expr.Name(t.text());
			};
		case STRING: {
			StringBuilder b = new StringBuilder(t.text());
			while (peek().kind() == Kind.STRING) {
				b.append(next().text());
			}
			return new Expr.Const(b.toString());
		}
		case INT:
			return new Expr.Const(Long.parseLong(t.text()));
		case FLOAT:
			return new Expr.Const(Double.parseDouble(t.text()));
		case OP:
			switch (t.text()) {
			case "(": {
				if (acceptOp(")")) {
					return new Expr.ListLiteral(List.of(), true);
				}
				Expr e = tuple();
				expectOp(")");
				return e;
			}
			case "[": {
				List<Expr> items = new ArrayList<>();
				while (!acceptOp("]")) {
					if (!items.isEmpty()) {
						expectOp(",");
						if (acceptOp("]")) {
							break;
						}
					}
					items.add(expression());
				}
				return new Expr.ListLiteral(items, false);
			}
			case "{": {
				List<Expr> keys = new ArrayList<>(), values = new ArrayList<>();
				while (!acceptOp("}")) {
					if (!keys.isEmpty()) {
						expectOp(",");
						if (acceptOp("}")) {
							break;
						}
					}
					keys.add(expression());
					expectOp(":");
					values.add(expression());
				}
				return new Expr.DictLiteral(keys, values);
			}
			default:
			}
			// fall through
		default:
			pos--;
			throw error("unexpected '" + t.text() + "'");
		}
	}

	Expr postfix(Expr e) {
		while (true) {
			if (acceptOp(".")) {
				Token t = next();
				if (t.kind() == Kind.NAME) {
					e = new Expr.Attr(e, t.text());
				} else if (t.kind() == Kind.INT) {
					e = new Expr.Item(e, new Expr.Const(Long.parseLong(t.text())));
				} else {
					pos--;
					throw error("expected an attribute name after '.'");
				}
			} else if (acceptOp("[")) {
				e = subscript(e);
			} else if (peek().isOp("(")) {
				e = new Expr.Call(e, callArgs());
			} else {
				return e;
			}
		}
	}

	Expr subscript(Expr target) {
		Expr[] parts = new Expr[3];
		int part = 0;
		boolean slice = false;
		while (!acceptOp("]")) {
			if (acceptOp(":")) {
				slice = true;
				part++;
				if (part > 2) {
					throw error("too many ':' in a slice");
				}
				continue;
			}
			parts[part] = expression();
		}
		if (!slice) {
			if (parts[0] == null) {
				throw error("empty subscript");
			}
			return new Expr.Item(target, parts[0]);
		}
		return new Expr.Slice(target, parts[0], parts[1], parts[2]);
	}

	Expr.Args callArgs() {
		expectOp("(");
		List<Expr> positional = new ArrayList<>();
		Map<String, Expr> keywords = new LinkedHashMap<>();
		while (!acceptOp(")")) {
			if (!positional.isEmpty() || !keywords.isEmpty()) {
				expectOp(",");
				if (acceptOp(")")) {
					break;
				}
			}
			if (peek().kind() == Kind.NAME && peek(1).isOp("=")) {
				String k = next().text();
				pos++;
				keywords.put(k, expression());
			} else {
				positional.add(expression());
			}
		}
		return new Expr.Args(positional, keywords);
	}

	Expr filterExpression(Expr e) {
		while (true) {
			if (peek().isOp("|")) {
				pos++;
				e = filter(e);
			} else if (peek().isName("is")) {
				pos++;
				e = test(e);
			} else if (peek().isOp("(")) {
				e = new Expr.Call(e, callArgs());
			} else {
				return e;
			}
		}
	}

	Expr.Filter filter(Expr value) {
		StringBuilder name = new StringBuilder(expectName());
		while (acceptOp(".")) {
			name.append('.').append(expectName());
		}
		Builtins.FilterFn fn = Builtins.FILTERS.get(name.toString());
		if (fn == null) {
			// Jinja2 fails when such a filter is reached, not before: a template may only use it on some path
			String missing = "no filter named '" + name + "' (line " + peek().line() + ")";
			fn = (v, a, kw) -> {
				throw new TemplateException(missing);
			};
		}
		Expr.Args args = peek().isOp("(") ? callArgs() : Expr.Args.NONE;
		return new Expr.Filter(value, name.toString(), fn, args);
	}

	Expr test(Expr value) {
		boolean negated = acceptName("not");
		String name = expectName();
		Builtins.TestFn fn = Builtins.TESTS.get(name);
		if (fn == null) {
			String missing = "no test named '" + name + "' (line " + peek().line() + ")";
			fn = (v, a) -> {
				throw new TemplateException(missing);
			};
		}
		Expr.Args args = Expr.Args.NONE;
		if (peek().isOp("(")) {
			args = callArgs();
		} else if (startsPrimary(peek())) {
			Expr arg = postfix(primary());
			args = new Expr.Args(List.of(arg), Map.of());
		}
		return new Expr.Test(value, name, fn, args, negated);
	}

	/** Whether a test's single argument follows without parentheses ({@code is divisibleby 3}). */
	static boolean startsPrimary(Token t) {
		return switch (t.kind()) {
		case STRING, INT, FLOAT -> true;
		case NAME -> !Set.of("else", "or", "and", "if", "is", "in", "not", "recursive").contains(t.text());
		case OP -> t.text().equals("[") || t.text().equals("{");
		default -> false;
		};
	}
}
