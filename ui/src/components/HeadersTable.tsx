import type { HeaderField } from '../../../server/contract.js';

/** Every header field in original order, names as written, values unfolded (text only). */
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
              <td>{header.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
