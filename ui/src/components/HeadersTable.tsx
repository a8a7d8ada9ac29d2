import type { HeaderField } from '../../../server/contract.js';

/**
 * Every header field in original order, names as written, values as people read them (encoded
 * words decoded, RFC 2047); where that differs from the value as written, the raw value is shown
 * beneath it (text only).
 */
export function HeadersTable({ headers }: { headers: readonly HeaderField[] }) {
  if (headers.length === 0) return <p className="placeholder">This message has no header fields.</p>;
  return (
    <div className="table-scroll">
      <table className="headers-table" data-testid="headers-table">
        <caption className="visually-hidden">Header fields in original order</caption>
        <tbody>
          {headers.map((header, index) => (
            <tr key={index} data-testid="header-row">
              <th scope="row">{header.name}</th>
              <td>
                <span data-testid="header-value">{header.decoded}</span>
                {header.decoded !== header.value && (
                  <span className="header-raw" data-testid="header-raw">
                    <span className="header-raw-label">as written: </span>
                    <code data-testid="header-raw-value">{header.value}</code>
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
